import Foundation

/// A mailbox: an address with an optional display name, as in `Pohden järjestötyö <jarjestotyo@pohde.example.fi>`.
///
/// Parsing is deliberately stricter than RFC 5322 allows: the addresses come from admins and
/// spreadsheets, and one that a relay would reject is better refused at the door.
public struct EmailAddress: Sendable, Hashable, CustomStringConvertible {
    /// The human name, unencoded (`Pia Kangas`), or nil.
    public var displayName: String?
    /// `local@domain`, as written (case kept).
    public var address: String

    /// Makes an address after checking it; throws `EmailAddressError` naming the problem.
    public init(address: String, displayName: String? = nil) throws(EmailAddressError) {
        try EmailAddress.validate(address: address)
        if let displayName { try EmailAddress.validate(displayName: displayName) }
        self.address = address
        let trimmed = displayName?.trimmingSpaces
        self.displayName = (trimmed?.isEmpty ?? true) ? nil : trimmed
    }

    /// Parses `addr@example.fi`, `<addr@example.fi>`, `Name <addr@example.fi>` or `"Name, Org" <addr@example.fi>`.
    public init(parsing text: String) throws(EmailAddressError) {
        let text = text.trimmingSpaces
        if text.hasLineBreak { throw .lineBreak }
        guard let open = text.lastIndex(of: "<") else {
            try self.init(address: text)
            return
        }
        guard text.hasSuffix(">") else { throw .unbalancedBrackets }
        let address = String(text[text.index(after: open)..<text.index(before: text.endIndex)])
        var name = String(text[..<open]).trimmingSpaces
        if name.count >= 2, name.hasPrefix("\""), name.hasSuffix("\"") {
            name = String(name.dropFirst().dropLast())
                .replacingOccurrences(of: "\\\"", with: "\"")
                .replacingOccurrences(of: "\\\\", with: "\\")
        }
        try self.init(address: address, displayName: name.isEmpty ? nil : name)
    }

    /// The domain part, after the last `@`.
    public var domain: String {
        guard let at = address.lastIndex(of: "@") else { return "" }
        return String(address[address.index(after: at)...])
    }

    /// The key two addresses are the same person by (see `key(for:)`).
    public var key: String { EmailAddress.key(for: address) }

    /// The one rule that says when two addresses are the same person, used for every table keyed by
    /// address: the whole address in Unicode's composed form (an `ä` typed on a Mac and one typed
    /// elsewhere are the same) and lowercased in all of Unicode (`SEURAKUNTAYHTYMÄ` and
    /// `seurakuntayhtymä` are the same), never by SQL's ASCII-only `lower`.
    public static func key(for address: String) -> String {
        address.precomposedStringWithCanonicalMapping.lowercased()
    }

    /// `address` as an SMTP envelope and an address header carry it, in ASCII: a domain with
    /// non-ASCII letters becomes its A-label (`xn--...`, RFC 3492); nil when the address cannot be
    /// written so (a non-ASCII local part would need SMTPUTF8, which most relays lack).
    public static func envelopeForm(of address: String) -> String? {
        // Checked in place first: this runs for every message delivered, and nearly every address
        // is ASCII. A native string's bytes are one buffer, and a loop over it is a plain scan.
        let isASCII = address.utf8.withContiguousStorageIfAvailable { bytes in bytes.allSatisfy { $0 < 0x80 } }
            ?? address.utf8.allSatisfy { $0 < 0x80 }
        if isASCII { return address }
        let bytes = Array(address.utf8)
        guard let at = bytes.lastIndex(of: UInt8(ascii: "@")), bytes[..<at].allSatisfy({ $0 < 0x80 }),
              let domain = Punycode.asciiDomain(String(decoding: bytes[(at + 1)...], as: UTF8.self)) else {
            return nil
        }
        return String(decoding: bytes[...at], as: UTF8.self) + domain
    }

    /// Checks a display name by the rule every header value follows: no line break, no control character.
    /// The import of member lists and the mail writer both use it, so a name one accepts the other writes.
    public static func validate(displayName: String) throws(EmailAddressError) {
        switch HeaderWriter.valueProblem(displayName) {
        case nil: return
        case .lineBreak: throw .lineBreak
        case .controlCharacter: throw .controlCharacterInName
        }
    }

    /// `Name <address>` (unencoded, for humans and logs) or the bare address.
    public var description: String {
        guard let displayName else { return address }
        return "\(displayName) <\(address)>"
    }

    /// Checks the bare address: one `@`, no spaces or control characters, a domain with a dot.
    ///
    /// A send to thousands checks every address several times over (the recipient list, the
    /// address, the header writer), and nearly every address is plain ASCII and right: one pass
    /// over its bytes in place says so. Only an address that pass does not accept goes through
    /// the careful checks, which name what is wrong.
    public static func validate(address: String) throws(EmailAddressError) {
        if address.utf8.withContiguousStorageIfAvailable(isPlainAcceptable) == true { return }
        try validateCarefully(address: address)
    }

    /// True when `bytes` is an ASCII address that `validateCarefully` accepts, in one pass with no
    /// allocation; false for anything else, right or wrong, which the careful checks then decide.
    static func isPlainAcceptable(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let at = UInt8(ascii: "@"), dot = UInt8(ascii: "."), hyphen = UInt8(ascii: "-")
        guard !bytes.isEmpty, bytes.count <= 254 else { return false }
        var atIndex = -1
        var domainDots = 0
        var previous = dot  // so that a leading dot reads as a double dot, and a leading @ as an empty local part
        for index in 0..<bytes.count {
            let byte = bytes[index]
            if byte <= 0x20 || byte >= 0x7F { return false }
            if byte == at {
                // A second @, an empty local part or one ending in a dot, or one over 64 bytes.
                guard atIndex < 0, previous != dot, index <= 64 else { return false }
                atIndex = index
            } else if atIndex < 0 {
                if byte == dot ? previous == dot : forbiddenInLocalPart.contains(byte) { return false }
            } else if byte == dot {
                // A domain starting with a dot, two dots, or a label ending in a hyphen.
                guard previous != at, previous != dot, previous != hyphen else { return false }
                domainDots += 1
            } else if byte == hyphen {
                guard previous != at, previous != dot else { return false }  // a label starting with a hyphen
            } else if !ASCII.isLetterOrDigit(byte) {
                return false
            }
            previous = byte
        }
        return atIndex >= 0 && domainDots > 0 && previous != dot && previous != hyphen && previous != at
    }

    /// The checks in full, on any address, naming the first problem found.
    static func validateCarefully(address: String) throws(EmailAddressError) {
        let bytes = Array(address.utf8)
        if bytes.isEmpty { throw .empty }
        if address.hasLineBreak { throw .lineBreak }
        let isASCII = bytes.allSatisfy { $0 < 0x80 }
        if bytes.contains(where: { $0 <= 0x20 || $0 == 0x7F })
            || (!isASCII && address.unicodeScalars.contains(where: { $0.properties.isWhitespace })) {
            throw .whitespace
        }
        let at = UInt8(ascii: "@"), dot = UInt8(ascii: "."), hyphen = UInt8(ascii: "-")
        let parts = bytes.split(separator: at, omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw parts.count < 2 ? .missingAt : .severalAt }
        let local = parts[0], domain = parts[1]
        if local.isEmpty { throw .emptyLocalPart }
        // Most relays lack SMTPUTF8, and the envelope carries no encoded words: ASCII only before the @.
        if !isASCII, local.contains(where: { $0 >= 0x80 }) { throw .nonASCIILocalPart }
        if local.count > 64 { throw .localPartTooLong }
        if local.contains(where: { forbiddenInLocalPart.contains($0) }) { throw .forbiddenCharacter }
        if local.first == dot || local.last == dot || containsDoubleDot(local) { throw .badDots }
        guard domain.contains(dot), domain.first != dot, domain.last != dot, !containsDoubleDot(domain) else {
            throw .badDomain
        }
        for label in domain.split(separator: dot) {
            let ok: Bool
            if label.allSatisfy({ $0 < 0x80 }) {
                ok = label.allSatisfy { byte in
                    (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                        || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == hyphen
                }
            } else {
                // Internationalised domains are allowed: letters of any script, digits and hyphens.
                ok = String(decoding: label, as: UTF8.self).unicodeScalars.allSatisfy {
                    $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0.properties.numericType != nil
                }
            }
            if !ok || label.first == hyphen || label.last == hyphen { throw .badDomain }
        }
        if bytes.count > 254 { throw .tooLong }
    }

    private static let forbiddenInLocalPart: [UInt8] = Array("<>()[],;:\\\"".utf8)

    private static func containsDoubleDot(_ bytes: ArraySlice<UInt8>) -> Bool {
        zip(bytes, bytes.dropFirst()).contains { $0 == UInt8(ascii: ".") && $1 == UInt8(ascii: ".") }
    }
}

/// Why a text is not an acceptable email address; the text is written for the person who typed it.
public enum EmailAddressError: Error, Sendable, Equatable, CustomStringConvertible {
    case empty
    case lineBreak
    case whitespace
    case missingAt
    case severalAt
    case emptyLocalPart
    case localPartTooLong
    case forbiddenCharacter
    case badDots
    case badDomain
    case tooLong
    case unbalancedBrackets
    case nonASCIILocalPart
    case controlCharacterInName

    public var description: String {
        switch self {
        case .empty: "the address is empty"
        case .lineBreak: "the address contains a line break"
        case .whitespace: "the address contains a space or control character"
        case .missingAt: "the address has no @"
        case .severalAt: "the address has more than one @"
        case .emptyLocalPart: "nothing before the @"
        case .localPartTooLong: "the part before the @ is longer than 64 characters"
        case .forbiddenCharacter: "the part before the @ contains one of < > ( ) [ ] , ; : \\ \""
        case .badDots: "the part before the @ starts or ends with a dot, or has two dots in a row"
        case .badDomain: "the domain after the @ is not a domain name like example.fi"
        case .tooLong: "the address is longer than 254 characters"
        case .unbalancedBrackets: "a < without a closing > at the end"
        case .nonASCIILocalPart: "the part before the @ has non-ASCII letters, which most mail relays refuse (they lack SMTPUTF8); ask the person for an address with ASCII letters before the @"
        case .controlCharacterInName: "the name contains a control character (an invisible character such as U+0001 or U+0090); retype the name"
        }
    }
}

extension StringProtocol {
    /// Whether the text holds a CR, LF or Unicode line separator. Checked on scalars: in Swift, CRLF is
    /// one `Character` equal to neither "\r" nor "\n", so a check on characters would let it through.
    var hasLineBreak: Bool {
        unicodeScalars.contains {
            switch $0.value {
            case 0x0A, 0x0D, 0x85, 0x2028, 0x2029: true
            default: false
            }
        }
    }

    var trimmingSpaces: String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars = scalars.dropFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars = scalars.dropLast() }
        return String(scalars)
    }
}
