import Foundation

/// The header fields every recipient of one mailing shares, encoded once, so that each recipient's
/// header block costs only its own fields (To, Message-ID, personal extras such as List-Unsubscribe).
///
/// `render(to:messageID:extra:)` gives the same bytes `MessageHeaders.render()` would for the same
/// values: From, To, Reply-To, Subject, Date, Message-ID, MIME-Version, shared extras, personal extras.
public struct SharedHeaders: Sendable {
    /// The sender, whose domain new Message-IDs are on.
    public let from: EmailAddress
    private let messageIDDomain: String
    private let fromField: [UInt8]
    private let replyToSubjectDate: [UInt8]
    private let versionAndExtra: [UInt8]
    /// Where the recipients' Message-IDs get their random parts: a block at a time.
    private let random = RandomBlock()

    /// Encodes the shared fields; throws `MIMEError` for a value that cannot be written safely.
    public init(
        from: EmailAddress, replyTo: EmailAddress? = nil, subject: String, date: Date, timeZone: TimeZone,
        extra: [HeaderField] = []
    ) throws(MIMEError) {
        self.from = from
        var writer = HeaderWriter()
        try HeaderField.addresses("From", [from]).write(to: &writer)
        fromField = writer.bytes
        messageIDDomain = Punycode.asciiDomain(from.domain.lowercased()) ?? from.domain.lowercased()

        writer = HeaderWriter()
        if let replyTo {
            try HeaderField.addresses("Reply-To", [replyTo]).write(to: &writer)
        }
        try HeaderField.text("Subject", subject).write(to: &writer)
        try HeaderField.structured("Date", MailDate.format(date, in: timeZone)).write(to: &writer)
        replyToSubjectDate = writer.bytes

        writer = HeaderWriter()
        try HeaderField.structured("MIME-Version", "1.0").write(to: &writer)
        try Self.write(extra, to: &writer)
        versionAndExtra = writer.bytes
    }

    /// One recipient's whole header block: the shared fields with To, Message-ID (new, on the sender's
    /// domain, when nil) and the personal extra fields, each line ending in CRLF.
    public func render(to: EmailAddress, messageID: String? = nil, extra: [HeaderField] = []) throws(MIMEError) -> [UInt8] {
        var writer = HeaderWriter(capacity: fromField.count + replyToSubjectDate.count + versionAndExtra.count + 256)
        writer.appendFields(fromField)
        try HeaderField.addresses("To", [to]).write(to: &writer)
        writer.appendFields(replyToSubjectDate)
        if let messageID {
            try MessageID.validate(messageID)
            try HeaderField.structured("Message-ID", messageID).write(to: &writer)
        } else {
            var generator = random
            try HeaderField.structured("Message-ID", MessageID.make(asciiDomain: messageIDDomain, using: &generator)).write(to: &writer)
        }
        writer.appendFields(versionAndExtra)
        try Self.write(extra, to: &writer)
        return writer.bytes
    }

    /// Names the block writes itself; an extra field with one of these would make a second, conflicting copy.
    static let reservedNames: Set<String> = ["from", "to", "reply-to", "subject", "date", "message-id", "mime-version"]

    private static func write(_ fields: [HeaderField], to writer: inout HeaderWriter) throws(MIMEError) {
        for field in fields {
            let name = field.name.lowercased()
            if reservedNames.contains(name) || name.hasPrefix("content-") {
                throw .reservedHeader(field.name)
            }
            try field.write(to: &writer)
        }
    }
}
