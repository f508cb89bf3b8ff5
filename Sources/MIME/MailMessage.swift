/// A whole message: a header block and the top-level part.
public struct MailMessage: Sendable {
    public var headers: MessageHeaders
    public var body: MIMEPart

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
