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
        let templates = TemplateLibrary(folder: configuration.paths.templates)
        let templateProblems = TemplateLibrary.required.compactMap { name -> String? in
            do {
                _ = try templates.template(name)
                return nil
            } catch {
                return "\(error)"
            }
        }
        if !templateProblems.isEmpty {
            for problem in templateProblems { printError(problem) }
            throw ExitCode(1)
        }
        for line in configuration.summary { print(line) }
        guard online else { return }
        let report = RelayLoginCheck(
            mail: configuration.mail, secrets: Secrets(environment: ProcessInfo.processInfo.environment),
            logger: LogSetup.make(label: "tiedotin", level: .warning)
        ).run()
        for line in report.lines { print(line) }
        if let failure = report.failure {
            printError(failure)
            throw ExitCode(1)
        }
    }
}
