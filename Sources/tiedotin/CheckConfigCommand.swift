import ArgumentParser
import Foundation
import TiedotinCore

/// `tiedotin check-config [--online]`: every stage of the check, every problem at once.
struct CheckConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate the config, templates and paths; print every problem.",
        discussion: """
            Checks the keys and paths, the secrets (the SMTP password from \
            $CREDENTIALS_DIRECTORY/smtp-password or mail.smtp.password_file; never printed) and the \
            templates, all of them whatever the others find, and prints every problem as \
            FILE:LINE:COLUMN: KEY: what is wrong and what to write instead, then exits 1; or prints \
            a short summary and exits 0. --online also logs in to the relay and sends nothing.
            """)

    @OptionGroup var config: ConfigOptions
    @Flag(help: "Also log in to the relay (and the OAuth token endpoint); send nothing.") var online = false

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let report = await ConfigurationCheck().run(path: config.resolvedPath, environment: environment)
        // "valid" and the summary only when the offline stages found nothing; the relay's verdict follows.
        if let configuration = report.passedConfiguration {
            for line in configuration.summary { print(line) }
        }
        var lines = report.lines
        var passed = report.passed
        if online, report.configuration == nil {
            print("online: the relay was not tried, because of the problems in the config")
        } else if online {
            let relay = await ConfigurationCheck(stages: ConfigurationCheck.onlineStages)
                .run(path: config.resolvedPath, environment: environment)
            for note in relay.notes { print(note) }
            lines += relay.problems.map { $0.formatted(file: relay.file) }
            passed = passed && relay.problems.isEmpty
        }
        for line in lines { printError(line) }
        if !passed { throw ExitCode(1) }
    }
}
