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

    public var count: Int { header.count + body.count }
}
