/// RFC 2047 encoded words, the way non-ASCII text (Finnish names and subjects) is written in headers:
/// `=?utf-8?Q?J=C3=A4rjest=C3=B6-?=`.
///
/// Each word is at most 75 characters (§2), holds whole UTF-8 characters only (§5: each word must
/// decode on its own), and uses Q or B, whichever is shorter for the text (§4).
public enum EncodedWord {
    /// Where the words stand, which decides what Q may leave unencoded.
    enum Context: Sendable {
        /// Unstructured text such as Subject (§5(1)): any printable ASCII but `=`, `?` and `_`.
        case text
        /// A phrase such as a display name (§5(3)): only letters, digits and `! * + - /`.
        case phrase
    }

    enum Encoding: Sendable {
        case q, b
    }

    /// The longest encoded word RFC 2047 §2 allows.
    static let maximumLength = 75
    /// What a word needs beyond its encoded text: `=?utf-8?Q?` and `?=`.
    static let overhead = 12

    /// Encodes the whole text as encoded words for unstructured header text, separated by single spaces
    /// (which decoders drop between encoded words, RFC 2047 §6.2).
    public static func encode(_ text: String) -> String {
        let words = split(Array(text.utf8)[...], context: .text, firstMaximum: maximumLength)
        return words.map { String(decoding: $0, as: UTF8.self) }.joined(separator: " ")
    }

    /// Splits UTF-8 text into encoded words at character boundaries; the first word is at most
    /// `firstMaximum` characters long (to fill the rest of a header line), the others at most 75.
    static func split(_ utf8: ArraySlice<UInt8>, context: Context, firstMaximum: Int) -> [[UInt8]] {
        let encoding = shorterEncoding(for: utf8, context: context)
        var words: [[UInt8]] = []
        var maximum = min(firstMaximum, maximumLength)
        var word = prefix(encoding)
        var pending: [UInt8] = []  // B: raw bytes of the current word, encoded when it closes
        var index = utf8.startIndex
        while index < utf8.endIndex {
            let end = min(utf8.index(index, offsetBy: scalarLength(leadingByte: utf8[index])), utf8.endIndex)
            let scalar = utf8[index..<end]
            let hasContent = encoding == .q ? word.count > overhead - 2 : !pending.isEmpty
            let grown = encoding == .q
                ? word.count + scalar.reduce(0) { $0 + qLength(of: $1, context: context) } + 2
                : overhead + base64Length(pending.count + scalar.count)
            if grown > maximum {
                if hasContent {
                    words.append(close(word, pending: pending, encoding: encoding))
                    word = prefix(encoding)
                    pending.removeAll(keepingCapacity: true)
                }
                maximum = maximumLength
            }
            if encoding == .q {
                for byte in scalar { appendQ(byte, context: context, to: &word) }
            } else {
                pending.append(contentsOf: scalar)
            }
            index = end
        }
        if word.count > overhead - 2 || !pending.isEmpty {
            words.append(close(word, pending: pending, encoding: encoding))
        }
        return words
    }

    static func shorterEncoding(for utf8: ArraySlice<UInt8>, context: Context) -> Encoding {
        let q = utf8.reduce(0) { $0 + qLength(of: $1, context: context) }
        return q <= base64Length(utf8.count) ? .q : .b
    }

    private static func prefix(_ encoding: Encoding) -> [UInt8] {
        var word = [UInt8]()
        word.reserveCapacity(maximumLength)
        word.append(contentsOf: encoding == .q ? "=?utf-8?Q?".utf8 : "=?utf-8?B?".utf8)
        return word
    }

    private static func close(_ word: [UInt8], pending: [UInt8], encoding: Encoding) -> [UInt8] {
        var word = word
        if encoding == .b { Base64.appendEncoded(pending[...], to: &word) }
        word.append(ASCII.questionMark)
        word.append(ASCII.equals)
        return word
    }

    private static func base64Length(_ count: Int) -> Int { (count + 2) / 3 * 4 }

    private static func scalarLength(leadingByte byte: UInt8) -> Int {
        switch byte {
        case ..<0xC0: 1
        case ..<0xE0: 2
        case ..<0xF0: 3
        default: 4
        }
    }

    private static func isLiteral(_ byte: UInt8, context: Context) -> Bool {
        switch context {
        case .text:
            byte > 0x20 && byte < 0x7F && byte != ASCII.equals && byte != ASCII.questionMark && byte != ASCII.underscore
        case .phrase:
            ASCII.isLetterOrDigit(byte) || byte == UInt8(ascii: "!") || byte == UInt8(ascii: "*")
                || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "/")
        }
    }

    private static func qLength(of byte: UInt8, context: Context) -> Int {
        byte == ASCII.space || isLiteral(byte, context: context) ? 1 : 3
    }

    private static func appendQ(_ byte: UInt8, context: Context, to word: inout [UInt8]) {
        if byte == ASCII.space {
            word.append(ASCII.underscore)  // §4.2 (2): more readable than =20
        } else if isLiteral(byte, context: context) {
            word.append(byte)
        } else {
            word.append(ASCII.equals)
            word.append(ASCII.hexDigits[Int(byte >> 4)])
            word.append(ASCII.hexDigits[Int(byte & 0x0F)])
        }
    }
}
