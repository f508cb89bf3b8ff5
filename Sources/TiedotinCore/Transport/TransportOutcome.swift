/// The SMTP step an answer came from.
public enum SMTPStage: String, Sendable, Equatable {
    case connect, greeting, startTLS = "STARTTLS", authentication = "AUTH", mailFrom = "MAIL", recipient = "RCPT", data = "DATA", quit = "QUIT"
}

/// What happened to one message at the transport: libcurl's result, the server's reply code and text.
/// Delivery classifies it (sent, temporary, permanent); the transport does not judge.
public struct TransportOutcome: Sendable, Equatable {
    /// libcurl's `CURLcode` (0 = the transfer completed).
    public var curlCode: Int
    /// libcurl's own words for `curlCode`, with any detail it gave.
    public var curlMessage: String
    /// The last SMTP reply code (`CURLINFO_RESPONSE_CODE`), 0 when there was none.
    public var replyCode: Int
    /// The last SMTP reply line as the server wrote it (`550 5.1.1 <x@example.fi>: User unknown`).
    public var reply: String?
    /// The last command sent before the reply, so a 5xx at RCPT is told from one at MAIL.
    public var stage: SMTPStage?
    /// Whether the message went over a connection opened for an earlier message.
    public var reusedConnection: Bool
    /// A problem the transport already diagnosed for the admin (no OAuth token, a login refused
    /// with a fresh token): every message would fail alike, so all wait. Nil for a relay's answer.
    public var transportProblem: String? = nil

    public init(curlCode: Int, curlMessage: String, replyCode: Int, reply: String?, stage: SMTPStage?, reusedConnection: Bool) {
        self.curlCode = curlCode
        self.curlMessage = curlMessage
        self.replyCode = replyCode
        self.reply = reply
        self.stage = stage
        self.reusedConnection = reusedConnection
    }

    /// A successful hand-off with a reply such as `250 2.0.0 Ok: queued`.
    public static func accepted(reply: String) -> TransportOutcome {
        TransportOutcome(curlCode: 0, curlMessage: "", replyCode: 250, reply: reply, stage: .data, reusedConnection: false)
    }
}
