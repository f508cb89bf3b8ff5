import Foundation
import MIME

extension ConfigurationDecoder {
    static let mailKeys = ["from", "reply_to", "transport", "maildir", "smtp", "bounces", "rate", "connections", "retry"]
    static let smtpKeys = ["url", "starttls", "auth", "username", "password_file", "timeout", "ca_file", "oauth"]
    static let oauthKeys = ["token_url", "client_id", "client_secret_file", "scope"]

    func decodeMail(_ mail: MappingReader) -> Configuration.Mail? {
        let fromExample = "\"Pohden järjestötyö <jarjestotyo@pohde.example.fi>\""
        let from = mail.required("from", example: fromExample)?.address(example: fromExample)
        let replyTo = mail.value("reply_to")?.address(example: "jarjestotyo@pohde.example.fi")
        let transport = mail.value("transport")?.choice(Configuration.Transport.self, noun: "a transport")
            ?? ConfigurationDefaults.transport
        let maildir = mail.value("maildir").map { path($0, example: ConfigurationDefaults.maildir) }
            ?? ConfigurationDefaults.maildir
        if checksFileSystem, transport == .maildir, let maildir {
            checkCreatable(maildir, in: mail, key: "maildir", what: "the Maildir")
        }
        let smtp = decodeSMTP(mail.section("smtp", known: Self.smtpKeys), transport: transport)
        let bounces = mail.has("bounces") ? decodeBounces(mail.section("bounces", known: ["address", "mailbox"])) : nil

        let rate = mail.section("rate", known: ["per_minute", "per_day"])
        let perMinute = rate.value("per_minute")?.integer(minimum: 0, example: "30") ?? ConfigurationDefaults.ratePerMinute
        let perDay = rate.value("per_day")?.integer(minimum: 0, example: "10000") ?? ConfigurationDefaults.ratePerDay
        let connections = mail.value("connections")?.integer(minimum: 1, example: "1") ?? ConfigurationDefaults.connections

        let retrySection = mail.section("retry", known: ["first", "max_interval", "give_up_after"])
        let second = Duration.seconds(1)
        let first = retrySection.value("first")?.duration(example: "1m", minimum: second) ?? ConfigurationDefaults.retryFirst
        let maxInterval = retrySection.value("max_interval")?.duration(example: "1h", minimum: second)
            ?? ConfigurationDefaults.retryMaxInterval
        let giveUpAfter = retrySection.value("give_up_after")?.duration(example: "3d", minimum: second)
            ?? ConfigurationDefaults.retryGiveUpAfter
        if maxInterval < first {
            problems.add(
                at: retrySection.value("max_interval")?.position ?? retrySection.position(of: "max_interval"),
                key: "mail.retry.max_interval",
                "\(maxInterval.configurationText) is shorter than the first wait (\(first.configurationText)); "
                    + "write a max_interval of at least \(first.configurationText)")
        }

        guard let from, let maildir, let smtp else { return nil }
        return Configuration.Mail(
            from: from, replyTo: replyTo, transport: transport, maildir: maildir, smtp: smtp, bounces: bounces,
            rate: Configuration.Rate(perMinute: perMinute, perDay: perDay), connections: connections,
            retry: Configuration.Retry(first: first, maxInterval: maxInterval, giveUpAfter: giveUpAfter))
    }

    private func decodeSMTP(_ smtp: MappingReader, transport: Configuration.Transport) -> Configuration.SMTP? {
        let relay = transport == .smtp
        var url: URL?
        if let value = smtp.value("url") {
            url = smtpURL(value)
        } else {
            url = URL(string: ConfigurationDefaults.smtpURL)
        }
        // Plain SMTP is the norm to the local MTA; anywhere else the network is not to be trusted.
        let startTLS = smtp.value("starttls")?.choice(Configuration.StartTLSPolicy.self, noun: "a STARTTLS policy")
            ?? ConfigurationDefaults.startTLS(for: url)
        let auth = smtp.value("auth")?.choice(Configuration.Authentication.self, noun: "a way to log in")
            ?? ConfigurationDefaults.authentication(username: smtp.value("username") != nil)

        // The relay needs an account to log in as, for a password and for an OAuth token alike.
        if relay && auth != .none, smtp.value("username") == nil {
                problems.add(
                    at: smtp.position(of: "username"), key: "mail.smtp.username",
                    "is missing and required when auth is \(auth.rawValue); add the account the relay knows, "
                        + "for example username: tiedotin (or write auth: none)")
        }
        let username = smtp.value("username")?.nonEmptyText(example: "tiedotin")

        let passwordFile: String? = if let value = smtp.value("password_file") {
            path(value, example: ConfigurationDefaults.passwordFile)
        } else {
            auth == .password ? ConfigurationDefaults.passwordFile : nil
        }
        let timeout = smtp.value("timeout")?.duration(example: "30s", minimum: .seconds(1)) ?? ConfigurationDefaults.smtpTimeout
        let caFile = smtp.value("ca_file").flatMap { path($0, example: "/etc/ssl/certs/relay-ca.pem") }
        if checksFileSystem, let caFile, let why = PathCheck.readableFile(caFile) {
            smtp.value("ca_file")?.report("\(why); put the relay's CA certificate (PEM) there or remove ca_file to trust the system's CAs")
        }

        var oauth: Configuration.OAuth?
        if smtp.has("oauth") || (relay && auth == .xoauth2) {
            oauth = decodeOAuth(smtp.section("oauth", known: Self.oauthKeys))
        }

        guard let url else { return nil }
        if relay { checkCredentialTLS(smtp, url: url, startTLS: startTLS, auth: auth) }
        return Configuration.SMTP(
            url: url, startTLS: startTLS, auth: auth, username: username, passwordFile: passwordFile,
            timeout: timeout, caFile: caFile, oauth: oauth)
    }

    /// `smtp://host[:port]` or `smtps://host[:port]`, with no credentials in it.
    private func smtpURL(_ value: ValueReader) -> URL? {
        guard let text = value.nonEmptyText(example: "smtp://mail.example.fi:587") else { return nil }
        // Checked before anything echoes the text: a password written into the URL must not reach a log.
        if let schemeEnd = text.range(of: "://"), text[schemeEnd.upperBound...].prefix(while: { $0 != "/" }).contains("@") {
            value.report("the URL must not hold a user name or password; write the relay as smtp://host:port, "
                + "the account in mail.smtp.username and the password in the file named by mail.smtp.password_file")
            return nil
        }
        guard let url = value.url(schemes: ["smtp", "smtps"], example: "smtp://mail.example.fi:587") else { return nil }
        if let port = url.port, !(1...65_535).contains(port) {
            value.report("port \(port) is out of range; write 587 for STARTTLS or 465 for smtps://, for example url: smtp://\(url.host ?? "mail.example.fi"):587")
            return nil
        }
        return url
    }

    private func decodeOAuth(_ section: MappingReader) -> Configuration.OAuth? {
        let tokenExample = "https://login.microsoftonline.com/TENANT/oauth2/v2.0/token"
        let tokenURL = section.required("token_url", example: tokenExample)?.url(schemes: ["https", "http"], example: tokenExample)
        let clientID = section.required("client_id", example: "00000000-0000-0000-0000-000000000000")?
            .nonEmptyText(example: "00000000-0000-0000-0000-000000000000")
        let secretFile = section.value("client_secret_file").map { path($0, example: ConfigurationDefaults.clientSecretFile) }
            ?? ConfigurationDefaults.clientSecretFile
        let scope = section.required("scope", example: "https://outlook.office365.com/.default")?
            .nonEmptyText(example: "https://outlook.office365.com/.default")
        if let tokenURL { checkTokenURLTLS(section.value("token_url"), url: tokenURL) }
        guard let tokenURL, let clientID, let scope else { return nil }
        return Configuration.OAuth(tokenURL: tokenURL, clientID: clientID, clientSecretFile: secretFile, scope: scope)
    }

    private func decodeBounces(_ section: MappingReader) -> Configuration.Bounces? {
        let address = section.required("address", example: "bounces@pohde.example.fi")?.address(example: "bounces@pohde.example.fi")
        let mailbox = section.value("mailbox").flatMap { path($0, example: "/var/mail/tiedotin-bounces") }
        guard let address else { return nil }
        return Configuration.Bounces(address: address, mailbox: mailbox)
    }
}
