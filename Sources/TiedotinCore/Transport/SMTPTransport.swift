import CCurl
import Foundation

/// Sends through an SMTP relay with libcurl: `smtp://` with a STARTTLS policy, or `smtps://`.
///
/// Each connection is one reused easy handle, so a session says EHLO once and then runs
/// MAIL/RCPT/DATA per message. All calls block; delivery runs them on threads of its own.
public struct SMTPTransport: MailTransport {
    /// What a connection needs to know about the relay. The password is a value here, read
    /// from its file by the caller; it is never logged or described.
    public struct Settings: Sendable {
        public var url: URL
        public var startTLS: Configuration.StartTLSPolicy
        public var username: String?
        public var password: String?
        /// An OAuth 2 bearer token for XOAUTH2, instead of a password.
        public var bearerToken: String?
        public var caFile: String?
        public var timeout: Duration
        /// The name said in EHLO.
        public var heloName: String

        public init(
            url: URL, startTLS: Configuration.StartTLSPolicy, username: String?, password: String?,
            bearerToken: String? = nil, caFile: String?, timeout: Duration, heloName: String
        ) {
            self.url = url
            self.startTLS = startTLS
            self.username = username
            self.password = password
            self.bearerToken = bearerToken
            self.caFile = caFile
            self.timeout = timeout
            self.heloName = heloName
        }
    }

    public let settings: Settings

    public init(settings: Settings) {
        CurlLibrary.initialise()
        self.settings = settings
    }

    public var destination: String {
        var components = URLComponents(url: settings.url, resolvingAgainstBaseURL: false)
        components?.path = ""
        components?.user = nil
        components?.password = nil
        return components?.string ?? settings.url.absoluteString
    }

    public func makeConnection() -> any TransportConnection {
        CurlSMTPConnection(settings: settings)
    }

    /// Logs in to the relay as delivery would (EHLO, STARTTLS, AUTH) and leaves without sending;
    /// returns nil when that worked, else what to fix.
    public func verify() -> String? {
        let outcome = CurlSMTPConnection(settings: settings).verifySession()
        guard outcome.failure != nil else { return nil }
        return RelayLoginCheck.problem(outcome, destination: destination)
    }
}

/// `curl_global_init`, exactly once per process, before any handle exists.
enum CurlLibrary {
    private static let initialised: Bool = {
        curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK
    }()

    static func initialise() {
        _ = initialised
        // A relay that drops the connection must not kill the process with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
    }

    /// libcurl's text for a result code.
    static func describe(_ code: CURLcode) -> String {
        String(cString: curl_easy_strerror(code))
    }
}
