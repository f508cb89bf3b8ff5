import Foundation

/// One send to put into the outbox: the body every recipient shares and a row per recipient.
public struct OutboxSend: Sendable {
    /// `notice`, `newsletter`, `invitation`, ...: what kind of mail this is.
    public var kind: String
    public var subject: String
    /// The shared MIME entity (its own MIME headers, a blank line, the body), CRLF.
    public var body: [UInt8]
    public var editionID: Int64?
    public var meetingID: String?
    public var messages: [OutboxMessage]

    public init(kind: String, subject: String, body: [UInt8], editionID: Int64? = nil, meetingID: String? = nil, messages: [OutboxMessage]) {
        self.kind = kind
        self.subject = subject
        self.body = body
        self.editionID = editionID
        self.meetingID = meetingID
        self.messages = messages
    }
}

/// One recipient's part of a send.
public struct OutboxMessage: Sendable {
    public var recipient: String
    /// `MAIL FROM`: the sender's address, or a VERP bounce address.
    public var envelopeSender: String
    /// The recipient's header block (From ... MIME-Version), CRLF, without the blank line.
    public var header: [UInt8]
    /// Optional JSON of placeholder → value, applied to the body at send time.
    public var substitutions: String?

    public init(recipient: String, envelopeSender: String, header: [UInt8], substitutions: String? = nil) {
        self.recipient = recipient
        self.envelopeSender = envelopeSender
        self.header = header
        self.substitutions = substitutions
    }
}
