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
        if let displayName, displayName.hasLineBreak {
            throw .lineBreak
        }
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
        String(address[address.index(after: address.lastIndex(of: "@")!)...])
    }

    /// The key two addresses are the same person by: the whole address lowercased.
    public var normalized: String { address.lowercased() }

    /// `Name <address>` (unencoded, for humans and logs) or the bare address.
    public var description: String {
        guard let displayName else { return address }
        return "\(displayName) <\(address)>"
    }

    /// Checks the bare address: one `@`, no spaces or control characters, a domain with a dot.
    public static func validate(address: String) throws(EmailAddressError) {
        if address.isEmpty { throw .empty }
        if address.hasLineBreak { throw .lineBreak }
        if address.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F }) {
            throw .whitespace
        }
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw parts.count < 2 ? .missingAt : .severalAt }
        let local = parts[0], domain = parts[1]
        if local.isEmpty { throw .emptyLocalPart }
        if local.utf8.count > 64 { throw .localPartTooLong }
        if local.contains(where: { "<>()[],;:\\\"".contains($0) }) { throw .forbiddenCharacter }
        if local.hasPrefix(".") || local.hasSuffix(".") || local.contains("..") { throw .badDots }
        guard domain.contains("."), !domain.hasPrefix("."), !domain.hasSuffix("."), !domain.contains("..") else {
            throw .badDomain
        }
        for label in domain.split(separator: ".") {
            // Internationalised domains are allowed: letters of any script, digits and hyphens.
            let ok = label.unicodeScalars.allSatisfy {
                $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0.properties.numericType != nil
            }
            if !ok || label.hasPrefix("-") || label.hasSuffix("-") { throw .badDomain }
        }
        if address.utf8.count > 254 { throw .tooLong }
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
        }
    }
}

extension StringProtocol {
    /// Whether the text holds a CR, LF or Unicode line separator. Checked on scalars: in Swift, CRLF is
    /// one `Character` equal to neither "\r" nor "\n", so a check on characters would let it through.
    var hasLineBreak: Bool {
        unicodeScalars.contains { [0x0A, 0x0D, 0x85, 0x2028, 0x2029].contains($0.value) }
    }

    var trimmingSpaces: String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars = scalars.dropFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars = scalars.dropLast() }
        return String(scalars)
    }
}
