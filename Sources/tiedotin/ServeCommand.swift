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
        let wake = WakeSignal()
        let returns = ReturnServices(configuration: context.configuration, store: context.store, logger: logger)
        let meetings = MeetingsService(
            configuration: context.configuration, store: context.store, logger: logger, afterQueue: { wake.signal() })
        let editions = EditionScheduler(
            desk: try context.editionDesk { wake.signal() },
            logger: logger)
        let intake = IntakeService(
            intake: DropFolderIntake(configuration: context.configuration, store: context.store, logger: logger),
            logger: logger, afterPass: { _ in wake.signal() })
        if once {
            intake.runDuePass(now: Date())
            returns.runDuePasses(now: Date())
            try context.outbox.recoverInterrupted()
            try meetings.runDuePass(now: Date())
            editions.runDuePass(now: Date())
            _ = await engine.deliverDue()
            return
        }
        let delivery = DeliveryService(engine: engine, outbox: context.outbox, wake: wake, logger: logger)
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [.init(service: delivery), .init(service: intake), .init(service: meetings), .init(service: editions)]
                + returns.services.map { .init(service: $0) },
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        try await group.run()
        logger.info("tiedotin stopped")
    }
}
