/// One MIME entity — a text, an attachment, or a multipart of other parts — encoded once when made.
///
/// `entity` is the part's own header lines (`Content-Type`, `Content-Transfer-Encoding`, ...), a blank
/// line and the encoded body: for the top-level part, exactly what every recipient of a message
/// shares, to which a per-recipient `MessageHeaders` block is prepended.
public struct MIMEPart: Sendable {
    /// The media type without parameters, e.g. `text/plain` or `multipart/alternative`.
    public let mediaType: String
    /// Header lines, CRLF, encoded body; all lines CRLF-terminated and within 998 octets.
    public let entity: [UInt8]

    /// How a leaf part's body is written.
    public enum TransferEncoding: Sendable {
        /// RFC 2045 §6.7: for text; readable, and keeps placeholders whole (see `QuotedPrintable`).
        case quotedPrintable
        /// RFC 2045 §6.8: for binary data, or text a client should not see line by line.
        case base64
    }

    /// A UTF-8 text part, `text/SUBTYPE; charset=utf-8` plus any extra parameters (e.g. `method` for
    /// iCalendar), quoted-printable unless asked otherwise.
    public static func text(
        _ text: String, subtype: String = "plain", extraParameters: [(String, String)] = [],
        transferEncoding: TransferEncoding = .quotedPrintable
    ) throws(MIMEError) -> MIMEPart {
        let mediaType = "text/" + subtype
        try checkMediaType(mediaType)
        var parameters: [(name: String, value: String)] = [("charset", "utf-8")]
        for (name, value) in extraParameters {
            try MediaParameter.checkName(name)
            if name.lowercased() == "charset" { throw .invalidParameterName(name) }
            parameters.append((name, value))
        }
        return leaf(mediaType, parameters: parameters, body: Array(text.utf8), text: true, encoding: transferEncoding, disposition: nil)
    }

    /// A `text/plain; charset=utf-8` part, quoted-printable.
    public static func plain(_ text: String) -> MIMEPart {
        leaf("text/plain", parameters: [("charset", "utf-8")], body: Array(text.utf8), text: true, encoding: .quotedPrintable, disposition: nil)
    }

    /// A `text/html; charset=utf-8` part, quoted-printable.
    public static func html(_ html: String) -> MIMEPart {
        leaf("text/html", parameters: [("charset", "utf-8")], body: Array(html.utf8), text: true, encoding: .quotedPrintable, disposition: nil)
    }

    /// An iCalendar part (RFC 6047 §2.4): `text/calendar; charset=utf-8; method=METHOD`, the method the
    /// same as the calendar's `METHOD` property (`REQUEST`, `CANCEL`, ...).
    public static func calendar(_ calendar: String, method: String, transferEncoding: TransferEncoding = .quotedPrintable) throws(MIMEError) -> MIMEPart {
        try text(calendar, subtype: "calendar", extraParameters: [("method", method)], transferEncoding: transferEncoding)
    }

    /// A file as an attachment (RFC 2183): base64, with the file name in Content-Disposition `filename`
    /// and Content-Type `name`, in RFC 2231 form when it is not plain ASCII.
    public static func attachment(_ data: [UInt8], contentType: String, filename: String) throws(MIMEError) -> MIMEPart {
        try checkMediaType(contentType)
        if contentType.lowercased().hasPrefix("multipart/") { throw .invalidMediaType(contentType) }
        return leaf(
            contentType.lowercased(), parameters: [("name", filename)], body: data, text: false, encoding: .base64,
            disposition: ("attachment", [("filename", filename)]))
    }

    /// `multipart/alternative` (RFC 2046 §5.1.4): the same content in several forms, plainest first
    /// (text/plain, then text/html).
    public static func alternative(_ parts: [MIMEPart]) throws(MIMEError) -> MIMEPart {
        try multipart(subtype: "alternative", parts)
    }

    /// `multipart/mixed` (RFC 2046 §5.1.3): a body followed by attachments.
    public static func mixed(_ parts: [MIMEPart]) throws(MIMEError) -> MIMEPart {
        try multipart(subtype: "mixed", parts)
    }

    /// Any multipart; the boundary is random and checked to occur in none of the parts (RFC 2046 §5.1.1).
    public static func multipart(subtype: String, _ parts: [MIMEPart]) throws(MIMEError) -> MIMEPart {
        let mediaType = "multipart/" + subtype.lowercased()
        try checkMediaType(mediaType)
        guard !parts.isEmpty else { throw .emptyMultipart(subtype: subtype) }
        var boundary: [UInt8]
        repeat {
            // `=_` never occurs in quoted-printable or base64 output, and 140 random bits make a clash
            // with anything else vanishingly unlikely; the check makes it impossible.
            boundary = Array("=_".utf8) + RandomText.make(count: 28)
        } while parts.contains(where: { $0.entity.contains(bytes: boundary) })

        var writer = HeaderWriter()
        try writer.begin("Content-Type")
        try writer.appendValue(mediaType, parameters: [("boundary", String(decoding: boundary, as: UTF8.self))])
        writer.end()
        var entity = writer.bytes
        entity.reserveCapacity(entity.count + parts.reduce(0) { $0 + $1.entity.count + boundary.count + 8 } + 8)
        entity.append(contentsOf: ASCII.lineBreak)
        let dashes: [UInt8] = [UInt8(ascii: "-"), UInt8(ascii: "-")]
        for (index, part) in parts.enumerated() {
            // The CRLF before a delimiter belongs to the delimiter (RFC 2046 §5.1.1).
            if index > 0 { entity.append(contentsOf: ASCII.lineBreak) }
            entity.append(contentsOf: dashes)
            entity.append(contentsOf: boundary)
            entity.append(contentsOf: ASCII.lineBreak)
            entity.append(contentsOf: part.entity)
        }
        entity.append(contentsOf: ASCII.lineBreak)
        entity.append(contentsOf: dashes)
        entity.append(contentsOf: boundary)
        entity.append(contentsOf: dashes)
        entity.append(contentsOf: ASCII.lineBreak)
        return MIMEPart(mediaType: mediaType, entity: entity)
    }

    private static func leaf(
        _ mediaType: String, parameters: [(name: String, value: String)], body: [UInt8], text: Bool,
        encoding: TransferEncoding, disposition: (String, [(name: String, value: String)])?
    ) -> MIMEPart {
        // Types and names were checked (tokens, short) and every value can be encoded in short pieces,
        // so no line can grow past 998 octets and writing cannot fail.
        var writer = HeaderWriter()
        do {
            try writer.begin("Content-Type")
            try writer.appendValue(mediaType, parameters: parameters)
            writer.end()
            try writer.begin("Content-Transfer-Encoding")
            try writer.appendStructured(encoding == .base64 ? "base64" : "quoted-printable")
            writer.end()
            if let (kind, parameters) = disposition {
                try writer.begin("Content-Disposition")
                try writer.appendValue(kind, parameters: parameters)
                writer.end()
            }
        } catch {
            preconditionFailure("a checked MIME header could not be written: \(error)")
        }
        var entity = writer.bytes
        entity.append(contentsOf: ASCII.lineBreak)
        switch encoding {
        case .quotedPrintable:
            entity.append(contentsOf: QuotedPrintable.encode(utf8: body))
        case .base64:
            // Text in base64 still needs CRLF line breaks before encoding (RFC 2046 §4.1.1).
            entity.append(contentsOf: Base64.encodeBody(text ? canonicalLineBreaks(body) : body))
        }
        return MIMEPart(mediaType: mediaType, entity: entity)
    }

    private static func checkMediaType(_ mediaType: String) throws(MIMEError) {
        let sides = mediaType.split(separator: "/", omittingEmptySubsequences: false)
        guard mediaType.utf8.count <= 200, sides.count == 2, sides.allSatisfy({ ASCII.isToken(String($0)) }) else {
            throw .invalidMediaType(mediaType)
        }
    }

    private static func canonicalLineBreaks(_ bytes: [UInt8]) -> [UInt8] {
        var output = [UInt8]()
        output.reserveCapacity(bytes.count + bytes.count / 32)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == ASCII.carriageReturn || byte == ASCII.lineFeed {
                output.append(contentsOf: ASCII.lineBreak)
                if byte == ASCII.carriageReturn, index + 1 < bytes.count, bytes[index + 1] == ASCII.lineFeed { index += 1 }
            } else {
                output.append(byte)
            }
            index += 1
        }
        return output
    }
}

extension Array where Element == UInt8 {
    /// Whether the bytes occur anywhere in the array.
    func contains(bytes needle: [UInt8]) -> Bool {
        guard let first = needle.first, needle.count <= count else { return needle.isEmpty }
        return withUnsafeBufferPointer { haystack in
            needle.withUnsafeBufferPointer { needle in
                var index = 0
                let last = haystack.count - needle.count
                while index <= last {
                    if haystack[index] == first {
                        var matched = 1
                        while matched < needle.count, haystack[index + matched] == needle[matched] { matched += 1 }
                        if matched == needle.count { return true }
                    }
                    index += 1
                }
                return false
            }
        }
    }
}
