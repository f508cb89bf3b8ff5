import ArgumentParser
import Foundation
import Logging
import TiedotinCore

/// What most commands start from: the config, a logger and the opened database.
struct CommandContext {
    let configuration: Configuration
    let store: Store
    let logger: Logger
    let environment: [String: String]

    /// Loads the config, sets up logging to standard error and opens the database; exits 1 on a problem.
    static func open(_ options: ConfigOptions, logLevel: String? = nil) throws -> CommandContext {
        let configuration = try options.load()
        let level = Logger.Level(rawValue: logLevel ?? configuration.logging.level) ?? .info
        let logger = LogSetup.make(label: "tiedotin", level: level)
        do {
            let store = try Store(path: configuration.paths.database)
            return CommandContext(
                configuration: configuration, store: store, logger: logger,
                environment: ProcessInfo.processInfo.environment)
        } catch {
            printError(error.description)
            throw ExitCode(1)
        }
    }

    var outbox: Outbox { Outbox(store: store) }
    var timestamp: Timestamp { Timestamp(timeZone: configuration.organisation.timeZone) }

    /// The transport of the config, with its secret read from its file or systemd credential
    /// (the password, or the OAuth client secret for XOAUTH2).
    func transport() throws -> any MailTransport {
        do {
            return try TransportFactory.make(
                for: configuration.mail, secrets: Secrets(environment: environment), clock: SystemClock(), logger: logger)
        } catch {
            printError("\(error)")
            throw ExitCode(1)
        }
    }

    /// A delivery engine on the real clock, with the relay's secret; exits 1 when it cannot be read.
    func engine() throws -> DeliveryEngine {
        do {
            return try DeliveryService.engine(
                for: configuration, store: store, environment: environment, clock: SystemClock(), logger: logger)
        } catch let error as SecretError {
            printError("\(error)")
            throw ExitCode(1)
        }
    }
}

/// Logging set up once per process: one line per event on standard error, for journald.
enum LogSetup {
    static func make(label: String, level: Logger.Level) -> Logger {
        LoggingBootstrap.once
        var logger = Logger(label: label)
        logger.logLevel = level
        return logger
    }
}

private enum LoggingBootstrap {
    static let once: Void = {
        // Times in one zone throughout: each line's own time in UTC, like the ISO 8601 times in
        // its metadata, whatever the machine's zone (journald adds its local time beside it).
        setenv("TZ", "UTC", 1)
        tzset()
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
    }()
}

/// Writes one JSON document to standard output.
func printJSON(_ value: Any) throws {
    let data = try JSONSerialization.data(withJSONObject: value, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    FileHandle.standardOutput.write(data + Data("\n".utf8))
}
