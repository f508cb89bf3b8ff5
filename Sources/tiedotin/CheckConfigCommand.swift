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
        let mail = configuration.mail
        guard mail.transport == .smtp else {
            print("online: the transport is maildir; there is no relay to log in to")
            return
        }
        if mail.smtp.auth == .xoauth2 {
            printError("online: XOAUTH2 login is not available yet (it comes with the OAuth work)")
            throw ExitCode(2)
        }
        var password: String?
        if mail.smtp.auth == .password {
            password = try Secrets(environment: ProcessInfo.processInfo.environment).smtpPassword(for: mail.smtp).plainText
        }
        guard let transport = TransportFactory.make(for: mail, password: password) as? SMTPTransport else { return }
        if let problem = transport.verify() {
            printError("online: \(problem)")
            throw ExitCode(1)
        }
        print("online: logged in to \(transport.destination) (\(mail.smtp.startTLS == .off ? "no TLS" : "TLS \(mail.smtp.startTLS.rawValue)")); nothing was sent")
    }
}
