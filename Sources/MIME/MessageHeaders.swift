import Foundation

/// The header block of one message to one recipient: everything before the top-level part's own
/// MIME headers. `render() + part.entity` is the whole message, which lets the outbox store the part
/// once and only this block per recipient.
public struct MessageHeaders: Sendable {
    /// The sender (one plain `From` on the organisation's domain).
    public var from: EmailAddress
    /// The one recipient.
    public var to: EmailAddress
    /// Where replies go, when not to the sender.
    public var replyTo: EmailAddress?
    /// The subject as text; non-ASCII words are encoded when written.
    public var subject: String
    /// The moment the `Date` header shows.
    public var date: Date
    /// The zone whose local time and offset the `Date` header shows (the organisation's, Europe/Helsinki).
    public var timeZone: TimeZone
    /// `<left@right>`; see `MessageID.make(for:)`.
    public var messageID: String
    /// Further fields (List-Id, List-Unsubscribe, Auto-Submitted, ...), written after the standard ones in order.
    public var extra: [HeaderField]

    /// Makes the headers; without a `messageID`, a new random one on the sender's domain.
    public init(
        from: EmailAddress, to: EmailAddress, replyTo: EmailAddress? = nil, subject: String, date: Date,
        timeZone: TimeZone, messageID: String? = nil, extra: [HeaderField] = []
    ) {
        self.from = from
        self.to = to
        self.replyTo = replyTo
        self.subject = subject
        self.date = date
        self.timeZone = timeZone
        self.messageID = messageID ?? MessageID.make(for: from)
        self.extra = extra
    }

    /// From, To, Reply-To, Subject, Date, Message-ID, MIME-Version and the extra fields, each ending in CRLF.
    /// For many recipients of one mailing, `SharedHeaders` encodes the common fields only once.
    public func render() throws(MIMEError) -> [UInt8] {
        try SharedHeaders(from: from, replyTo: replyTo, subject: subject, date: date, timeZone: timeZone, extra: extra)
            .render(to: to, messageID: messageID)
    }
}
