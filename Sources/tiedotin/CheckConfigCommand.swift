import ArgumentParser
import Foundation
import TiedotinCore

/// `tiedotin check-config`: validates the config, its paths and the secrets it points at.
struct CheckConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate the config, templates and paths; print every problem.",
        discussion: """
            Prints every problem as FILE:LINE:COLUMN: KEY: what is wrong and what to write instead, \
            and exits 1; or prints a short summary and exits 0. When mail goes out by SMTP with a \
            password, the password must be readable (from $CREDENTIALS_DIRECTORY/smtp-password or \
            mail.smtp.password_file); it is never printed.
            """)

    @OptionGroup var config: ConfigOptions
    @Flag(help: "Also log in to the relay (and the OAuth token endpoint); send nothing.") var online = false

    func run() async throws {
        let configuration = try config.load()
        let secretProblems = Secrets(environment: ProcessInfo.processInfo.environment).problems(for: configuration)
        if !secretProblems.isEmpty {
            for problem in secretProblems { printError(problem.formatted(file: configuration.file)) }
            throw ExitCode(1)
        }
        for line in configuration.summary { print(line) }
        if online {
            printError("The offline checks passed, but online checks (logging in to the relay) are not available yet: "
                + "they come with the delivery work.")
            throw ExitCode(2)
        }
    }
}
