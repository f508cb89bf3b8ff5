import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// The part of `serve` that talks to systemd: `READY=1` once SIGHUP is handled, the reload on
/// SIGHUP (the process's one handler for it), the watchdog, the `STATUS=` line, and `STOPPING=1`
/// with the start of the stop deadline.
struct ServiceSupervisor: Service {
    let context: ServiceContext
    let configurationPath: String
    let check: ConfigurationCheck
    let notifier: SystemdNotifier
    let deadline: StopDeadline

    func run() async throws {
        // Trapped before READY=1: from then on systemd may send SIGHUP, and it must not kill us.
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        // The status line reads the whole outbox, which grows with every send: systemd hears
        // READY=1 at once, and the line follows as soon as it is read.
        notifier.ready(status: "ready; reading the outbox")
        context.statusChanged.signal()
        context.logger.notice("tiedotin ready", metadata: ["config": "\(configurationPath)"])
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await _ in hangups { await reload() }
                }
                if let interval = notifier.watchdogInterval {
                    group.addTask {
                        while !Task.isCancelled {
                            notifier.watchdog()
                            try? await Task.sleep(for: interval)
                        }
                    }
                }
                if notifier.isActive {
                    group.addTask {
                        while !Task.isCancelled {
                            // Woken by each delivery round; the backstop keeps "next due" honest.
                            await context.statusChanged.wait(until: Date().addingTimeInterval(300))
                            if Task.isCancelled { break }
                            notifier.status(statusLine())
                        }
                    }
                }
                try? await gracefulShutdown()
                group.cancelAll()
            }
        } onGracefulShutdown: {
            notifier.stopping()
            context.logger.notice("tiedotin stopping: the messages in flight finish first")
            deadline.start()
            context.statusChanged.signal()
        }
    }

    /// Re-reads and checks the config; a good one replaces the old, a bad one is reported line by
    /// line and the old one stays. systemd hears RELOADING=1 first and READY=1 after, either way.
    private func reload() async {
        notifier.reloading()
        let report = await check.run(path: configurationPath, environment: context.environment)
        if let configuration = report.passedConfiguration {
            context.configuration.replace(with: configuration)
            context.logger.notice("config reloaded", metadata: ["config": "\(configurationPath)"])
        } else {
            for line in report.lines {
                context.logger.error("config problem; the previous config stays in force", metadata: ["problem": "\(line)"])
            }
            context.logger.error("config not reloaded", metadata: ["config": "\(configurationPath)", "problems": "\(report.problems.count)"])
        }
        notifier.ready(status: statusLine())
    }

    private func statusLine() -> String {
        let configuration = context.configuration.current
        do {
            return try ServiceStatus(configuration: configuration, store: context.store, now: context.clock.now)
                .line(Timestamp(timeZone: configuration.organisation.timeZone))
        } catch {
            return "cannot read the outbox: \(error)"
        }
    }
}
