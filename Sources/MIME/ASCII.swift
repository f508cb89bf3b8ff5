/// Byte values and character classes of the mail RFCs, as lookup tables so that hot loops test a byte
/// with one load instead of a chain of comparisons.
enum ASCII {
    static let carriageReturn: UInt8 = 0x0D
    static let lineFeed: UInt8 = 0x0A
    static let space: UInt8 = 0x20
    static let tab: UInt8 = 0x09
    static let equals: UInt8 = 0x3D
    static let questionMark: UInt8 = 0x3F
    static let underscore: UInt8 = 0x5F
    static let quote: UInt8 = 0x22
    static let backslash: UInt8 = 0x5C
    static let colon: UInt8 = 0x3A
    static let lineBreak: [UInt8] = [carriageReturn, lineFeed]

    /// Upper-case hexadecimal digits, as RFC 2045 §6.7 and RFC 2047 §4.2 require for `=XX`.
    static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

    static func isWhitespace(_ byte: UInt8) -> Bool { byte == space || byte == tab }

    static func isLetterOrDigit(_ byte: UInt8) -> Bool { letterOrDigit[Int(byte)] }

    /// RFC 5322 §3.2.3 `atext`: what an atom may contain.
    static func isAtomText(_ byte: UInt8) -> Bool { atomText[Int(byte)] }

    /// RFC 2045 §5.1 `token` characters: printable ASCII except space and tspecials.
    static func isTokenCharacter(_ byte: UInt8) -> Bool { tokenCharacter[Int(byte)] }

    /// RFC 2231 §7 `attribute-char`: what may stand unescaped in an extended parameter value.
    static func isAttributeCharacter(_ byte: UInt8) -> Bool { attributeCharacter[Int(byte)] }

    static func isToken(_ text: String) -> Bool {
        !text.utf8.isEmpty && text.utf8.allSatisfy(isTokenCharacter)
    }

    private static func table(_ characters: String, letterAndDigits: Bool) -> [Bool] {
        var table = [Bool](repeating: false, count: 256)
        if letterAndDigits {
            for byte in UInt8(ascii: "A")...UInt8(ascii: "Z") { table[Int(byte)] = true }
            for byte in UInt8(ascii: "a")...UInt8(ascii: "z") { table[Int(byte)] = true }
            for byte in UInt8(ascii: "0")...UInt8(ascii: "9") { table[Int(byte)] = true }
        }
        for byte in characters.utf8 { table[Int(byte)] = true }
        return table
    }

    private static let letterOrDigit = table("", letterAndDigits: true)
    private static let atomText = table("!#$%&'*+-/=?^_`{|}~", letterAndDigits: true)
    private static let tokenCharacter = table("!#$%&'*+-.^_`{|}~", letterAndDigits: true)
    private static let attributeCharacter = table("!#$&+-.^_`{|}~", letterAndDigits: true)
}
