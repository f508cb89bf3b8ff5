import Foundation

/// An SMTP connection that logs in with XOAUTH2: it takes a token from the shared client before
/// each message, and when the relay refuses a token that should still be good (a 535, or Gmail's
/// 334 error challenge), gets a new one and tries that message once more. A second refusal, or
/// no token at all, becomes a problem for the admin: the mail waits.
final class XOAUTH2Connection: TransportConnection {
    private let connection: CurlSMTPConnection
    private let tokens: OAuthTokenClient
    private let destination: String
    private let username: String

    init(settings: SMTPTransport.Settings, tokens: OAuthTokenClient, destination: String) {
        connection = CurlSMTPConnection(settings: settings)
        self.tokens = tokens
        self.destination = destination
        username = settings.username ?? "(no username)"
    }

    func send(_ envelope: Envelope, message: MessageBytes) -> TransportOutcome {
        withToken { connection.send(envelope, message: message) }
    }

    func close() {
        connection.close()
    }

    /// Logs in as for a message (EHLO, STARTTLS, AUTH) and leaves; the outcome and the TLS used.
    func verifySession() -> (outcome: TransportOutcome, tls: String?) {
        let outcome = withToken { connection.verifySession() }
        return (outcome, connection.sessionTLS)
    }

    private func withToken(_ attempt: () -> TransportOutcome) -> TransportOutcome {
        let token: AccessToken
        do {
            token = try tokens.token()
        } catch {
            return Self.noToken(error)
        }
        connection.useBearerToken(token.bearer.plainText)
        let first = attempt()
        guard Self.isLoginRefused(first) else { return first }

        // Revoked early, or the relay's view of the app changed: one fresh token, one more try.
        let fresh: AccessToken
        do {
            fresh = try tokens.renew(replacing: token)
        } catch {
            return Self.noToken(error)
        }
        connection.useBearerToken(fresh.bearer.plainText)
        var second = attempt()
        guard Self.isLoginRefused(second) else { return second }
        let said = second.reply ?? second.detail
        second.transportProblem = "the relay \(destination) refused the XOAUTH2 login of \(username) with a newly issued "
            + "token too (\(said)); the token endpoint accepts the app, so the relay does not let it send as this "
            + "mailbox: check mail.smtp.username, that the app's service principal is registered in Exchange Online "
            + "with rights on the mailbox (New-ServicePrincipal, Add-MailboxPermission) and that SMTP AUTH is "
            + "enabled for the mailbox (README, Microsoft 365); the mail stays queued"
        return second
    }

    /// A refused login: 535 (Microsoft), or libcurl's login-denied after Gmail's 334 error challenge.
    static func isLoginRefused(_ outcome: TransportOutcome) -> Bool {
        guard let failure = outcome.failure, outcome.stage == .authentication || outcome.stage == nil else { return false }
        return failure == .loginRefused || outcome.replyCode == 535 || outcome.replyCode == 334
    }

    private static func noToken(_ error: OAuthError) -> TransportOutcome {
        var outcome = TransportOutcome(failure: .other, detail: error.description, stage: .authentication)
        outcome.transportProblem = error.description
        return outcome
    }
}
