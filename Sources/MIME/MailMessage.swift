/// A whole message: a header block and the top-level part.
public struct MailMessage: Sendable {
    /// The header block: From, To, Subject, ... and MIME-Version.
    public var headers: MessageHeaders
    /// The top-level part, whose own Content-Type and Content-Transfer-Encoding follow the header block.
    public var body: MIMEPart

    /// A message of the header block and the top-level part.
    public init(headers: MessageHeaders, body: MIMEPart) {
        self.headers = headers
        self.body = body
    }

    /// The message as sent: `headers.render()` followed by `body.entity`, CRLF throughout.
    public func render() throws(MIMEError) -> [UInt8] {
        var bytes = try headers.render()
        bytes.append(contentsOf: body.entity)
        return bytes
    }
}
