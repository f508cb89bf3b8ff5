import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import TiedotinCore

/// `tiedotin serve [--once]`: the service itself (systemd's ExecStart).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the service (systemd's ExecStart).",
        discussion: """
            Delivers queued mail as it falls due, throttled to mail.rate, until SIGTERM or SIGINT; \
            the SMTP transaction in flight is finished first. Only one process delivers at a time: \
            a second serve exits 1 naming the process that holds DATABASE.lock.
            """)
    @OptionGroup var config: ConfigOptions
    @Flag(help: "One pass of everything that is due, then exit.") var once = false
    @Option(help: "trace, debug, info, notice, warning or error (default: logging.level).") var logLevel: String?

    func validate() throws {
        if let logLevel, Logger.Level(rawValue: logLevel) == nil {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error")
        }
    }

    func run() async throws {
        let context = try CommandContext.open(config, logLevel: logLevel)
        let lock: DeliveryLock
        do {
            lock = try DeliveryLock(path: context.configuration.paths.lockFile)
        } catch {
            printError(error.description)
            throw ExitCode(1)
        }
        defer { lock.release() }
        let engine = try context.engine()
        let logger = context.logger
        logger.info("tiedotin serving", metadata: [
            "config": "\(context.configuration.file)", "transport": "\(engine.transport.destination)",
        ])
        if once {
            try context.outbox.recoverInterrupted()
            _ = await engine.deliverDue()
            return
        }
        let delivery = DeliveryService(engine: engine, outbox: context.outbox, wake: WakeSignal(), logger: logger)
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [.init(service: delivery)],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        try await group.run()
        logger.info("tiedotin stopped")
    }
}

/// `tiedotin status [--json]`.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "What is due next, queue sizes, last errors.")
    @OptionGroup var config: ConfigOptions
    @Flag(help: "One JSON document on standard output.") var json = false

    func run() async throws {
        let context = try CommandContext.open(config)
        let counts = try context.outbox.counts()
        let lastError = try context.outbox.lastError()
        let incoming = DropFolderCount.incoming(in: context.configuration.paths.dropFolder)
        let holder = DeliveryLock.holder(of: context.configuration.paths.lockFile)
        if json {
            try printJSON([
                "next_edition": NSNull(),
                "queue": OutboxReport.countsJSON(counts),
                "incoming": incoming,
                "last_error": lastError?.message ?? NSNull(),
                "service_pid": holder.map { Int($0) as Any } ?? NSNull(),
            ] as [String: Any])
            return
        }
        let time = context.timestamp
        print("tiedotin — \(context.configuration.organisation.name)")
        print("  service: " + (holder.map { "running (process \($0))" } ?? "not running"))
        print("  outbox: \(counts.queued) queued, \(counts.deferred) deferred, \(counts.sending) sending, \(counts.sent) sent, \(counts.failed) failed")
        if let next = try context.outbox.nextAttempt() { print("  next delivery attempt: \(time.readable(next))") }
        print("  drop folder: \(incoming) files in incoming/")
        if let lastError { print("  last error (\(time.readable(lastError.at))): \(lastError.message)") }
    }
}

/// Counts what waits in the drop folder without touching it.
enum DropFolderCount {
    static func incoming(in dropFolder: String) -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dropFolder + "/incoming")) ?? []
        return names.filter { name in
            !(name.hasPrefix(".") || name.hasPrefix("~") || name.hasSuffix(".tmp") || name.hasSuffix(".part"))
        }.count
    }
}
