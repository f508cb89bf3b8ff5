import Foundation

/// Makes the transport the config asks for.
public enum TransportFactory {
    /// `mail.transport`: a Maildir, or the SMTP relay with the given secret (password or bearer token).
    public static func make(for mail: Configuration.Mail, password: String?, bearerToken: String? = nil) -> any MailTransport {
        switch mail.transport {
        case .maildir:
            return MaildirTransport(folder: mail.maildir)
        case .smtp:
            let smtp = mail.smtp
            let usesLogin = smtp.auth != .none
            return SMTPTransport(settings: SMTPTransport.Settings(
                url: smtp.url, startTLS: smtp.startTLS,
                username: usesLogin ? smtp.username : nil,
                password: smtp.auth == .password ? password : nil,
                bearerToken: smtp.auth == .xoauth2 ? bearerToken : nil,
                caFile: smtp.caFile, timeout: smtp.timeout, heloName: mail.from.domain))
        }
    }
}
