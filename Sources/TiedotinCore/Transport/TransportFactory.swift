import Foundation
import Logging

/// Makes the transport the config asks for.
public enum TransportFactory {
    /// `mail.transport`: a Maildir, or the SMTP relay with the given secret (password or bearer token).
    public static func make(for mail: Configuration.Mail, password: String?, bearerToken: String? = nil) -> any MailTransport {
        switch mail.transport {
        case .maildir:
            return MaildirTransport(folder: mail.maildir)
        case .smtp:
            return SMTPTransport(settings: smtpSettings(for: mail, password: password, bearerToken: bearerToken))
        }
    }

    /// The transport of the config with the secret it needs, read now from the systemd credential
    /// or the configured file; with `auth: xoauth2`, an SMTP transport that fetches its own tokens.
    public static func make(
        for mail: Configuration.Mail, secrets: Secrets, clock: any WallClock, logger: Logger
    ) throws(SecretError) -> any MailTransport {
        guard mail.transport == .smtp else { return make(for: mail, password: nil) }
        let smtp = mail.smtp
        switch smtp.auth {
        case .password:
            return make(for: mail, password: try secrets.smtpPassword(for: smtp).plainText)
        case .none:
            return make(for: mail, password: nil)
        case .xoauth2:
            guard let tokens = try tokenClient(for: mail, secrets: secrets, clock: clock, logger: logger) else {
                return make(for: mail, password: nil)
            }
            return XOAUTH2Transport(smtp: SMTPTransport(settings: smtpSettings(for: mail, password: nil)), tokens: tokens)
        }
    }

    /// The OAuth token client of `mail.smtp.oauth`, with its client secret read now; nil without one.
    public static func tokenClient(
        for mail: Configuration.Mail, secrets: Secrets, clock: any WallClock, logger: Logger
    ) throws(SecretError) -> OAuthTokenClient? {
        guard let oauth = mail.smtp.oauth else { return nil }
        return OAuthTokenClient(
            settings: oauth, clientSecret: try secrets.oauthClientSecret(for: oauth), caFile: mail.smtp.caFile,
            timeout: mail.smtp.timeout, clock: clock, logger: logger)
    }

    static func smtpSettings(for mail: Configuration.Mail, password: String?, bearerToken: String? = nil) -> SMTPTransport.Settings {
        let smtp = mail.smtp
        let usesLogin = smtp.auth != .none
        return SMTPTransport.Settings(
            url: smtp.url, startTLS: smtp.startTLS,
            username: usesLogin ? smtp.username : nil,
            password: smtp.auth == .password ? password : nil,
            bearerToken: smtp.auth == .xoauth2 ? bearerToken : nil,
            caFile: smtp.caFile, timeout: smtp.timeout, heloName: mail.from.domain)
    }
}
