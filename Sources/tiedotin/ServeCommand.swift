import ArgumentParser
import Foundation
import Logging
import TiedotinCore

/// `tiedotin serve [--once]`: the service itself (systemd's ExecStart).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the service (systemd's ExecStart).",
        discussion: """
            Runs every job of the service (delivery, throttled to mail.rate) until SIGTERM or SIGINT; \
            the SMTP transaction in flight is finished first. SIGHUP re-reads the config: a bad one is \
            reported line by line and the old one stays. Speaks systemd's notify protocol when \
            NOTIFY_SOCKET is set. Only one process delivers at a time: a second serve exits 1 naming \
            the process that holds DATABASE.lock. With --once: one pass of everything due, then exit \
            0 when all of it went, 3 when some failed or waits for a retry.
            """)
    @OptionGroup var config: ConfigOptions
    @Flag(help: "One pass of everything that is due, then exit.") var once = false
    @Option(help: "trace, debug, info, notice, warning or error (default: logging.level).") var logLevel: String?
    @Option(help: ArgumentHelp(
        "systemd's TimeoutStopSec: a relay slower than this less 10 s to answer is left for the next start.",
        valueName: "duration"))
    var stopTimeout = "90s"

    func validate() throws {
        if let logLevel, Logger.Level(rawValue: logLevel) == nil {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error")
        }
        if Duration(configurationText: stopTimeout) == nil {
            throw ValidationError("--stop-timeout must be a duration such as 90s or 2m")
        }
    }

    func run() async throws {
        let context = try CommandContext.open(config, logLevel: logLevel)
        let assembly = ServiceAssembly(
            configuration: context.configuration, configurationPath: config.resolvedPath, store: context.store,
            logger: context.logger, environment: context.environment,
            options: .init(stopTimeout: Duration(configurationText: stopTimeout) ?? .seconds(90)))
        do {
            if once {
                let result = try await assembly.runOnce()
                if !result.isClean { throw ExitCode(3) }
            } else {
                try await assembly.serve()
            }
        } catch let error as DeliveryLockError {
            printError(error.description)
            throw ExitCode(1)
        } catch let error as SecretError {
            printError(error.description)
            throw ExitCode(1)
        }
    }
}
