import Foundation

/// What Python's `email` package (with `email.policy.default`) makes of a message: the independent
/// judge for every test that writes or delivers mail. See `inspect_message.py` for the fields.
public struct InspectedMessage: Decodable, Sendable {
    /// Every defect Python found in the message, its parts and its headers; a well-formed message has none.
    public var defects: [String]
    /// Top-level header fields by name as they appear, values decoded (RFC 2047 words become text).
    public var headers: [String: [String]]
    /// Address header fields by name: each mailbox's decoded display name and address.
    public var addresses: [String: [Mailbox]]
    /// The part tree, e.g. `multipart/mixed(multipart/alternative(text/plain,text/html),application/pdf)`.
    public var structure: String
    /// The leaf parts in order.
    public var parts: [Part]
    /// The longest line in octets, line break excluded.
    public var maxLineOctets: Int
    /// Whether an LF without a CR before it occurs anywhere.
    public var bareLF: Bool
    /// Whether a CR without an LF after it occurs anywhere.
    public var bareCR: Bool

    /// One mailbox of an address header.
    public struct Mailbox: Decodable, Sendable, Equatable {
        /// The decoded display name, empty when there is none.
        public var displayName: String
        /// `local@domain`.
        public var addrSpec: String

        /// A mailbox to compare with.
        public init(displayName: String, addrSpec: String) {
            self.displayName = displayName
            self.addrSpec = addrSpec
        }

        enum CodingKeys: String, CodingKey {
            case displayName = "display_name"
            case addrSpec = "addr_spec"
        }
    }

    /// One leaf part.
    public struct Part: Decodable, Sendable {
        /// `type/subtype`, lowercased.
        public var contentType: String
        /// The `charset` parameter, if any.
        public var charset: String?
        /// The decoded file name (Content-Disposition `filename`, else Content-Type `name`).
        public var filename: String?
        /// `attachment`, `inline` or nil.
        public var disposition: String?
        /// The Content-Transfer-Encoding header as written.
        public var transferEncoding: String?
        /// Content-Type parameters other than the type itself, decoded.
        public var params: [String: String]
        /// The decoded text of a text part, line breaks as in the message (CRLF).
        public var text: String?
        /// The decoded size of a non-text part.
        public var size: Int?
        /// The SHA-256 of a non-text part's decoded bytes, in hexadecimal.
        public var sha256: String?

        enum CodingKeys: String, CodingKey {
            case contentType = "content_type"
            case charset, filename, disposition
            case transferEncoding = "transfer_encoding"
            case params, text, size, sha256
        }
    }

    enum CodingKeys: String, CodingKey {
        case defects, headers, addresses, structure, parts
        case maxLineOctets = "max_line_octets"
        case bareLF = "bare_lf"
        case bareCR = "bare_cr"
    }

    /// The decoded values of a header, its name matched without regard to case.
    public func values(of name: String) -> [String] {
        headers.filter { $0.key.lowercased() == name.lowercased() }.flatMap(\.value)
    }

    /// The decoded value of a header that occurs once, or nil.
    public func value(of name: String) -> String? {
        let values = values(of: name)
        return values.count == 1 ? values[0] : nil
    }

    /// The mailboxes of an address header, its name matched without regard to case.
    public func mailboxes(of name: String) -> [Mailbox] {
        addresses.filter { $0.key.lowercased() == name.lowercased() }.flatMap(\.value)
    }
}

/// Runs `Tests/TestSupport/inspect_message.py` with the project's `.venv` Python on a message.
public enum MessageInspector {
    /// Parses the message bytes with Python's `email` package and returns what it found.
    public static func inspect(_ bytes: [UInt8]) throws -> InspectedMessage {
        try PythonScript.run("Tests/TestSupport/inspect_message.py", on: bytes, inputName: "message.eml")
    }
}
