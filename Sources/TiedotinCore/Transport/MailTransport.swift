import Foundation

/// How bytes leave the machine: an SMTP relay through libcurl, or a Maildir folder in development.
///
/// A transport hands out connections; each delivery worker owns one and uses it from its own
/// thread for message after message, so an SMTP session stays open between messages.
public protocol MailTransport: Sendable {
    /// Opens (lazily) a connection for one worker. Connecting happens on the first `send`.
    func makeConnection() -> any TransportConnection
    /// Where mail goes, for the admin (`smtp://mail.example.fi:587`, `maildir /var/lib/...`).
    var destination: String { get }
}

/// One worker's connection. Not shared between threads; blocking by design.
public protocol TransportConnection: AnyObject {
    /// Hands one message for one recipient to the relay and reports what the relay answered.
    func send(_ envelope: Envelope, message: MessageBytes) -> TransportOutcome
    /// Ends the session politely (QUIT) and frees the connection.
    func close()
}

/// The SMTP envelope of one message: `MAIL FROM` and the one `RCPT TO`.
public struct Envelope: Sendable, Equatable {
    public var sender: String
    public var recipient: String

    public init(sender: String, recipient: String) {
        self.sender = sender
        self.recipient = recipient
    }
}

/// A message's bytes as the outbox keeps them: the recipient's header block, then the shared body.
/// Kept in two pieces so that 10,000 messages can share one body in memory.
public struct MessageBytes: Sendable {
    public var header: [UInt8]
    public var body: [UInt8]

    public init(header: [UInt8], body: [UInt8]) {
        self.header = header
        self.body = body
    }

    /// The whole message as one buffer.
    public var joined: [UInt8] { header + body }
    public var count: Int { header.count + body.count }
}

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
