import Foundation

extension ConfigurationCheck {
    /// The stages of `check-config --online`, after the offline ones. (The OAuth token request
    /// joins them as one more stage.)
    public static let onlineStages: [Stage] = [.relay]
}

extension ConfigurationCheck.Stage {
    /// Logs in to the relay as delivery would (EHLO, STARTTLS, AUTH) and leaves without sending.
    public static let relay = ConfigurationCheck.Stage(name: "relay") { input in
        guard let configuration = input.configuration else {
            return .init(notes: ["online: the relay was not tried, because of the problems above"])
        }
        let mail = configuration.mail
        guard mail.transport == .smtp else {
            return .init(notes: ["online: the transport is maildir; there is no relay to log in to"])
        }
        if mail.smtp.auth == .xoauth2 {
            return .init(problems: [input.locator.problem(
                "mail.smtp.auth", "online: XOAUTH2 login is not available yet (it comes with the OAuth work)")])
        }
        var password: String?
        if mail.smtp.auth == .password {
            // An unreadable secret is the secrets stage's problem; without it the login cannot be tried.
            guard let secret = try? Secrets(environment: input.environment).smtpPassword(for: mail.smtp) else {
                return .init(notes: ["online: the relay was not tried, because the password cannot be read"])
            }
            password = secret.plainText
        }
        guard let transport = TransportFactory.make(for: mail, password: password) as? SMTPTransport else { return .init() }
        if let problem = transport.verify() {
            return .init(problems: [input.locator.problem("mail.smtp.url", "online: \(problem)")])
        }
        let tls = mail.smtp.startTLS == .off ? "no TLS" : "TLS \(mail.smtp.startTLS.rawValue)"
        return .init(notes: ["online: logged in to \(transport.destination) (\(tls)); nothing was sent"])
    }
}
