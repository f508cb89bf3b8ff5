import Foundation
import Logging
import Synchronization

/// Gets access tokens with the OAuth 2.0 client-credentials grant (RFC 6749 §4.4) and keeps the
/// current one in memory, renewing it ahead of `expires_in`. Shared by every delivery connection.
///
/// One lock covers the token and its fetch: when several connections need a new token at once,
/// one asks the endpoint and the others take what it got.
public final class OAuthTokenClient: Sendable {
    private let settings: Configuration.OAuth
    private let clientSecret: Secret
    private let post: HTTPSFormPost
    private let clock: any WallClock
    private let logger: Logger
    private let current = Mutex<AccessToken?>(nil)

    /// `caFile` is `mail.smtp.ca_file`: the token endpoint is trusted as the relay is.
    public init(
        settings: Configuration.OAuth, clientSecret: Secret, caFile: String?, timeout: Duration,
        clock: any WallClock, logger: Logger
    ) {
        self.settings = settings
        self.clientSecret = clientSecret
        post = HTTPSFormPost(url: settings.tokenURL, caFile: caFile, timeout: timeout)
        self.clock = clock
        self.logger = logger
    }

    /// The token endpoint without query or fragment, for messages.
    public var endpoint: String {
        var components = URLComponents(url: settings.tokenURL, resolvingAgainstBaseURL: false)
        components?.query = nil
        components?.fragment = nil
        components?.user = nil
        components?.password = nil
        return components?.string ?? settings.tokenURL.absoluteString
    }

    /// A token good for now: the kept one, or a new one when it is due for renewal.
    public func token() throws(OAuthError) -> AccessToken {
        try current.withLock { (token: inout AccessToken?) throws(OAuthError) -> AccessToken in
            if let token, token.isFresh(at: clock.now) { return token }
            let fresh = try fetch(reason: token == nil ? "first token" : "renewal ahead of expiry")
            token = fresh
            return fresh
        }
    }

    /// A new token in place of `rejected`, which the relay refused though it had not expired.
    /// When another connection has already replaced it, that newer token is returned.
    public func renew(replacing rejected: AccessToken) throws(OAuthError) -> AccessToken {
        try current.withLock { (token: inout AccessToken?) throws(OAuthError) -> AccessToken in
            if let token, token.bearer.plainText != rejected.bearer.plainText, token.isFresh(at: clock.now) {
                return token
            }
            token = nil
            let fresh = try fetch(reason: "the relay refused the last one")
            token = fresh
            return fresh
        }
    }

    private func fetch(reason: String) throws(OAuthError) -> AccessToken {
        let form = Secret(HTTPSFormPost.encode([
            ("grant_type", "client_credentials"),
            ("client_id", settings.clientID),
            ("client_secret", clientSecret.plainText),
            ("scope", settings.scope),
        ]), source: "the token request for \(endpoint)")
        let started = clock.now
        switch post.perform(form: form) {
        case .failure(let failure):
            let detail = TokenResponse.shown(failure.message, hiding: clientSecret)
            throw failure.isTLS ? .tls(endpoint: endpoint, detail: detail) : .unreachable(endpoint: endpoint, detail: detail)
        case .success(let answer):
            let token = try TokenResponse.read(answer, endpoint: endpoint, secret: clientSecret, at: started)
            logger.info(
                "obtained an OAuth access token (\(reason)), valid until \(token.expiresAt)",
                metadata: ["token_url": "\(endpoint)"])
            return token
        }
    }
}
