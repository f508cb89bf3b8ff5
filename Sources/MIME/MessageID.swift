/// Message-IDs (RFC 5322 §3.6.4): `<random@domain>` on the sender's domain, so that replies and
/// bounces can be matched and no two messages share one.
public enum MessageID {
    /// Random characters in the left part: 26 of 32 letters, 128 random bits, unguessable and never repeated.
    static let randomLength = 26

    /// A new `<random@domain>`; a domain with non-ASCII letters is written in its `xn--` form.
    public static func make(domain: String) -> String {
        make(asciiDomain: Punycode.asciiDomain(domain.lowercased()) ?? domain.lowercased())
    }

    /// A new Message-ID on a domain already lowercased and in ASCII.
    static func make(asciiDomain: String) -> String {
        var generator = SystemRandomNumberGenerator()
        return make(asciiDomain: asciiDomain, using: &generator)
    }

    /// A new Message-ID on a domain already lowercased and in ASCII, its random part from `generator`.
    static func make(asciiDomain: String, using generator: inout some RandomNumberGenerator) -> String {
        var bytes: [UInt8] = [UInt8(ascii: "<")]
        bytes.reserveCapacity(randomLength + asciiDomain.utf8.count + 3)
        bytes.append(contentsOf: RandomText.make(count: randomLength, using: &generator))
        bytes.append(UInt8(ascii: "@"))
        bytes.append(contentsOf: asciiDomain.utf8)
        bytes.append(UInt8(ascii: ">"))
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A new Message-ID on the domain of the sender's address.
    public static func make(for sender: EmailAddress) -> String {
        make(domain: sender.domain)
    }

    /// Checks `<id-left@id-right>`, both sides dot-atom-text (RFC 5322 §3.6.4; the obsolete forms are not written).
    public static func validate(_ id: String) throws(MIMEError) {
        let bytes = Array(id.utf8)
        guard bytes.count >= 5, bytes.count < 900, bytes.first == UInt8(ascii: "<"), bytes.last == UInt8(ascii: ">") else {
            throw .invalidMessageID(id)
        }
        let inner = bytes[1..<bytes.count - 1]
        let sides = inner.split(separator: UInt8(ascii: "@"), omittingEmptySubsequences: false)
        guard sides.count == 2, sides.allSatisfy(isDotAtomText) else { throw .invalidMessageID(id) }
    }

    /// RFC 5322 §3.2.3 `dot-atom-text`: atoms joined by single dots.
    static func isDotAtomText(_ text: ArraySlice<UInt8>) -> Bool {
        var previous = UInt8(ascii: ".")  // so that a leading dot counts as an empty atom
        for byte in text {
            if byte == UInt8(ascii: ".") {
                if previous == byte { return false }
            } else if !ASCII.isAtomText(byte) {
                return false
            }
            previous = byte
        }
        return previous != UInt8(ascii: ".")
    }
}
