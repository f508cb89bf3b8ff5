/// Writes header fields into a byte buffer, folding long values at white space (RFC 5322 §2.2.3).
///
/// Lines are kept within 76 characters where a fold is possible, which satisfies both RFC 5322 §2.1.1
/// (78) and RFC 2047 §2 (76 for a line holding an encoded word), and never exceed 998 octets.
/// A value is a sequence of unbreakable words, each with the white space before it: a fold goes in
/// front of that white space, so unfolding gives back exactly what was written.
struct HeaderWriter {
    static let foldWidth = 76
    static let maximumLineLength = 998

    private(set) var bytes: [UInt8] = []
    private var lineLength = 0
    private var lineHasValue = false
    private(set) var header = ""

    init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    /// Starts a field: checks the name (RFC 5322 §3.6.8 `ftext`) and writes `Name:`.
    mutating func begin(_ name: String) throws(MIMEError) {
        try Self.checkName(name)
        header = name
        bytes.append(contentsOf: name.utf8)
        bytes.append(ASCII.colon)
        lineLength = name.utf8.count + 1
        lineHasValue = false
    }

    /// Appends whole fields rendered before (each ending in CRLF).
    mutating func appendFields(_ fields: [UInt8]) {
        bytes.append(contentsOf: fields)
        lineLength = 0
        lineHasValue = false
    }

    mutating func end() {
        bytes.append(contentsOf: ASCII.lineBreak)
    }

    /// Appends an unbreakable word after the given white space, folding before the white space when the
    /// line would grow past 76 characters. The first word of a value stays on the name's line unless
    /// `mayFoldFirst`: in unstructured text some readers (Python's email package among them) keep the
    /// white space of an empty first line; in address lists it is only white space between tokens.
    mutating func append(_ word: some Collection<UInt8>, after whitespace: some Collection<UInt8>, mayFoldFirst: Bool = false) throws(MIMEError) {
        let needed = whitespace.count + word.count
        let canFold = !whitespace.isEmpty
            && (lineHasValue || mayFoldFirst || lineLength + needed > Self.maximumLineLength)
        if canFold && lineLength + needed > Self.foldWidth {
            bytes.append(contentsOf: ASCII.lineBreak)
            lineLength = 0
        }
        guard lineLength + needed <= Self.maximumLineLength else { throw .headerLineTooLong(header: header) }
        bytes.append(contentsOf: whitespace)
        bytes.append(contentsOf: word)
        lineLength += needed
        lineHasValue = true
    }

    /// Appends text as RFC 2047 encoded words, the first filling what is left of the line when there is
    /// room for a useful word, the rest each on a line of its own, so that lines holding encoded words
    /// stay within 76 characters (§2). Only the first word of unstructured text after a very long field
    /// name can pass that, as such a word cannot move to the next line (see `append`).
    ///
    /// In a phrase, a run that fits in one encoded word is never split: RFC 2047 §6.2 has decoders drop
    /// the white space between two encoded words, but some (Python's, in display names) keep it, and a
    /// name split mid-word would show a stray space there.
    mutating func appendEncoded(_ text: ArraySlice<UInt8>, context: EncodedWord.Context, after whitespace: ArraySlice<UInt8>) throws(MIMEError) {
        let isPhrase = context == .phrase
        if isPhrase {
            let whole = EncodedWord.split(text, context: context, firstMaximum: EncodedWord.maximumLength)
            if whole.count == 1 {
                try append(whole[0], after: whitespace, mayFoldFirst: true)
                return
            }
        }
        let minimum = EncodedWord.overhead + 12
        let room = Self.foldWidth - lineLength - whitespace.count
        let first = room >= minimum ? room : (lineHasValue || isPhrase ? EncodedWord.maximumLength : minimum)
        let words = EncodedWord.split(text, context: context, firstMaximum: first)
        for (index, word) in words.enumerated() {
            try append(word, after: index == 0 ? whitespace : Self.space, mayFoldFirst: isPhrase)
        }
    }

    /// Appends words separated by single spaces, each but the last followed by `separator` (`;` or `,`).
    mutating func appendList(_ words: [[UInt8]], separator: UInt8) throws(MIMEError) {
        for (index, word) in words.enumerated() {
            if index < words.count - 1 {
                try append(word + [separator], after: Self.space)
            } else {
                try append(word, after: Self.space)
            }
        }
    }

    static let space: ArraySlice<UInt8> = [ASCII.space]

    static func checkName(_ name: String) throws(MIMEError) {
        let valid = !name.utf8.isEmpty && name.utf8.count < 900
            && name.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != ASCII.colon }
        if !valid { throw .invalidHeaderName(name) }
    }

    /// Refuses line breaks of every kind (header injection) and other control characters in a value.
    static func checkValue(_ value: String, header: String) throws(MIMEError) {
        switch valueProblem(value) {
        case nil: return
        case .lineBreak: throw .lineBreakInHeader(header: header)
        case .controlCharacter: throw .controlCharacterInHeader(header: header)
        }
    }

    /// What no header value may hold.
    enum ValueProblem {
        case lineBreak
        case controlCharacter
    }

    /// The rule for header text, display names included: no line break of any kind (CR, LF, U+0085,
    /// U+2028, U+2029) and no control character (C0, DEL, C1) other than a tab.
    static func valueProblem(_ value: String) -> ValueProblem? {
        // Nearly every value is printable ASCII: one cheap pass, the careful one only when needed.
        let plain = value.utf8.withContiguousStorageIfAvailable { bytes in
            bytes.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
        }
        if plain == true { return nil }
        var previous: UInt8 = 0, beforePrevious: UInt8 = 0
        for byte in value.utf8 {
            switch byte {
            case 0x0A, 0x0D:
                return .lineBreak
            case 0x09:
                break
            case 0x00..<0x20, 0x7F:
                return .controlCharacter
            case 0x80..<0xC0 where previous == 0xC2:
                // U+0080 to U+009F: C1 controls, among them U+0085, the next-line character.
                if byte == 0x85 { return .lineBreak }
                if byte < 0xA0 { return .controlCharacter }
            case 0xA8...0xA9 where previous == 0x80 && beforePrevious == 0xE2:
                return .lineBreak  // U+2028, U+2029: line and paragraph separators
            default:
                break
            }
            beforePrevious = previous
            previous = byte
        }
        return nil
    }

    /// Splits a value into words and the white space before each, dropping white space at either end.
    static func words(of bytes: [UInt8]) -> [(whitespace: Range<Int>, word: Range<Int>)] {
        var result: [(whitespace: Range<Int>, word: Range<Int>)] = []
        var index = 0
        while index < bytes.count {
            let whitespaceStart = index
            while index < bytes.count, ASCII.isWhitespace(bytes[index]) { index += 1 }
            let wordStart = index
            while index < bytes.count, !ASCII.isWhitespace(bytes[index]) { index += 1 }
            if wordStart < index { result.append((whitespaceStart..<wordStart, wordStart..<index)) }
        }
        return result
    }
}
