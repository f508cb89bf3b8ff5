import Foundation
import Logging

/// `check-config --online`: gets an OAuth token when the config uses XOAUTH2, then opens one
/// SMTP session as delivery would (EHLO, STARTTLS, AUTH, QUIT) and sends nothing. Says which step
/// failed, and what TLS the session really ran under.
public struct RelayLoginCheck: Sendable {
    /// What the check found: lines for standard output, and the failure (for standard error), if any.
    public struct Report: Sendable {
        public var lines: [String] = []
        public var failure: String?
        /// The config key the failure is most likely fixed at, for a `FILE:LINE:COLUMN: KEY:` line.
        public var failureKey: String?
    }

    let mail: Configuration.Mail
    let secrets: Secrets
    let clock: any WallClock
    let logger: Logger

    public init(mail: Configuration.Mail, secrets: Secrets, clock: any WallClock = SystemClock(), logger: Logger) {
        self.mail = mail
        self.secrets = secrets
        self.clock = clock
        self.logger = logger
    }

    public func run() -> Report {
        var report = Report()
        guard mail.transport == .smtp else {
            report.lines.append("online: the transport is maildir; there is no relay to log in to")
            return report
        }
        let smtp = mail.smtp
        let session: (outcome: TransportOutcome, tls: String?)
        let destination: String
        do {
            switch try TransportFactory.make(for: mail, secrets: secrets, clock: clock, logger: logger) {
            case let transport as XOAUTH2Transport:
                destination = transport.destination
                do {
                    let token = try transport.tokens.token()
                    let minutes = Int(token.expiresAt.timeIntervalSince(token.obtainedAt) / 60)
                    report.lines.append("online: token: \(transport.tokens.endpoint) issued an access token for \(minutes) minutes")
                } catch {
                    report.failure = "online: \(error) (the step that failed: the token request, before SMTP)"
                    report.failureKey = error.key
                    return report
                }
                let connection = XOAUTH2Connection(settings: transport.smtp.settings, tokens: transport.tokens, destination: destination)
                session = connection.verifySession()
            case let transport as SMTPTransport:
                destination = transport.destination
                let connection = CurlSMTPConnection(settings: transport.settings)
                session = (connection.verifySession(), connection.sessionTLS)
            default:
                return report
            }
        } catch {
            report.failure = "online: \(error.key): \(error)"
            report.failureKey = error.key
            return report
        }

        let outcome = session.outcome
        guard outcome.failure == nil else {
            let step = Self.step(of: outcome)
            report.failure = "online: \(Self.problem(outcome, destination: destination)) (the step that failed: \(step))"
            report.failureKey = step == "AUTH" ? "mail.smtp.auth" : "mail.smtp.url"
            return report
        }
        let login = switch smtp.auth {
        case .password: " as \(smtp.username ?? "") with a password"
        case .xoauth2: " as \(smtp.username ?? "") with XOAUTH2"
        case .none: " (auth: none, no login)"
        }
        let tls: String
        if let used = session.tls {
            tls = "TLS \(used)" + (smtp.url.scheme?.lowercased() == "smtps" ? " from the first byte (smtps)" : " after STARTTLS")
        } else {
            tls = "no TLS: the session ran in plain text"
                + (smtp.startTLS == .opportunistic ? " (the relay offered no STARTTLS, and starttls is opportunistic)" : "")
        }
        let startTLS = session.tls != nil && smtp.url.scheme?.lowercased() != "smtps"
        let steps = ["EHLO"] + (startTLS ? ["STARTTLS"] : []) + (smtp.auth == .none ? [] : ["AUTH"]) + ["NOOP", "QUIT"]
        report.lines.append("online: logged in to \(destination)\(login) (\(steps.joined(separator: ", "))); \(tls); nothing was sent")
        return report
    }

    /// What to tell the admin about a session that failed.
    static func problem(_ outcome: TransportOutcome, destination: String) -> String {
        let classifier = FailureClassifier(destination: destination)
        if case .relayUnusable(let problem) = classifier.classify(outcome) { return problem }
        return "the relay \(destination) did not accept the session: \(classifier.answer(outcome))"
    }

    /// The step of the session an outcome failed at, in the words of an SMTP transcript.
    static func step(of outcome: TransportOutcome) -> String {
        if outcome.failure == .tlsNotOffered { return "STARTTLS" }
        if outcome.failure == .tls { return "TLS handshake" }
        switch outcome.stage {
        case nil, .connect: return "connect"
        case .greeting: return "EHLO"
        case .startTLS: return "STARTTLS"
        case .authentication: return "AUTH"
        case .mailFrom, .recipient, .data, .quit: return outcome.stage!.rawValue
        }
    }
}
