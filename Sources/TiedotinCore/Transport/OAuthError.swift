/// Why no access token could be had. Each text names the endpoint, what went wrong and the config
/// key to fix; none contains the client secret or a token. Mail waits and is retried in every case.
public enum OAuthError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The host could not be resolved or reached, or did not answer in time.
    case unreachable(endpoint: String, detail: String)
    /// The TLS handshake failed (certificate not trusted, wrong name, ...).
    case tls(endpoint: String, detail: String)
    /// The endpoint answered with an OAuth error (RFC 6749 §5.2): `invalid_client`, `invalid_scope`, ...
    case refused(endpoint: String, status: Int, error: String, detail: String?)
    /// The answer was not a JSON document.
    case notJSON(endpoint: String, status: Int, contentType: String?)
    /// The answer was JSON but held no usable bearer token.
    case noToken(endpoint: String, status: Int, reason: String)

    /// The config key the admin most likely has to fix.
    public var key: String {
        switch self {
        case .unreachable, .notJSON, .noToken: "mail.smtp.oauth.token_url"
        case .tls: "mail.smtp.ca_file"
        case .refused(_, _, let error, _):
            switch error {
            case "invalid_client": "mail.smtp.oauth.client_secret_file"
            case "unauthorized_client": "mail.smtp.oauth.client_id"
            case "invalid_scope": "mail.smtp.oauth.scope"
            default: "mail.smtp.oauth.token_url"
            }
        }
    }

    public var description: String {
        switch self {
        case .unreachable(let endpoint, let detail):
            return "cannot reach the OAuth token endpoint \(endpoint) (\(detail)); check mail.smtp.oauth.token_url "
                + "and that this machine can reach that host (DNS, firewall, proxy); the mail stays queued and is retried"
        case .tls(let endpoint, let detail):
            return "the TLS handshake with the OAuth token endpoint \(endpoint) failed (\(detail)); check mail.smtp.ca_file, "
                + "which is trusted for the token endpoint too (remove it to trust the system's CAs); the mail stays queued"
        case .refused(let endpoint, let status, let error, let detail):
            let said = "HTTP \(status), \(error)" + (detail.map { ": \($0)" } ?? "")
            let fix = switch error {
            case "invalid_client":
                "check mail.smtp.oauth.client_id and the client secret (mail.smtp.oauth.client_secret_file or the systemd "
                    + "credential oauth-client-secret): AADSTS7000215 means the secret is wrong or expired, AADSTS700016 "
                    + "that no app with this client_id exists in the tenant named in mail.smtp.oauth.token_url"
            case "unauthorized_client":
                "the app registration of mail.smtp.oauth.client_id may not use the client-credentials grant; "
                    + "check the app registration and its admin consent"
            case "invalid_scope":
                "check mail.smtp.oauth.scope; for Microsoft 365 write scope: https://outlook.office365.com/.default"
            case "unsupported_grant_type", "invalid_request":
                "check mail.smtp.oauth.token_url: it must be the tenant's OAuth 2.0 token endpoint "
                    + "(https://login.microsoftonline.com/TENANT/oauth2/v2.0/token)"
            default:
                "check mail.smtp.oauth.token_url, client_id, scope and the client secret"
            }
            return "the OAuth token endpoint \(endpoint) refused to issue a token (\(said)); \(fix); the mail stays queued"
        case .notJSON(let endpoint, let status, let contentType):
            return "the OAuth token endpoint \(endpoint) answered HTTP \(status) with something that is not JSON "
                + "(\(contentType ?? "no Content-Type")); check mail.smtp.oauth.token_url: it must be the token endpoint "
                + "itself, https://login.microsoftonline.com/TENANT/oauth2/v2.0/token for Microsoft 365; the mail stays queued"
        case .noToken(let endpoint, let status, let reason):
            return "the OAuth token endpoint \(endpoint) answered HTTP \(status) without a usable token (\(reason)); "
                + "check mail.smtp.oauth.token_url; the mail stays queued"
        }
    }
}
