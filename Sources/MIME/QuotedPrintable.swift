/// Quoted-printable bodies for text (RFC 2045 §6.7), with line breaks as CRLF hard breaks.
///
/// Beyond the RFC, one promise the outbox relies on: a run of ASCII letters and digits of up to
/// `unbrokenRunLength` characters is never split by a soft line break (the break goes before the run),
/// so a placeholder in the encoded body can later be swapped byte for byte for a personal token of
/// the same length.
public enum QuotedPrintable {
    /// The longest encoded line, soft-break `=` included (§6.7 rule 5).
    public static let lineLength = 76
    /// Runs of letters and digits up to this length stay on one line.
    public static let unbrokenRunLength = 40

    /// Encodes text as UTF-8; CRLF, LF and lone CR all become CRLF hard line breaks (rule 4).
    public static func encode(_ text: String) -> [UInt8] {
        encode(utf8: Array(text.utf8))
    }

    /// Encodes the bytes of a text, treating CRLF, LF and lone CR as line breaks.
    public static func encode(utf8 bytes: [UInt8]) -> [UInt8] {
        var output = [UInt8]()
        output.reserveCapacity(bytes.count + bytes.count / 8 + 16)
        var lineStart = 0
        var index = 0
        while index <= bytes.count {
            guard index == bytes.count || bytes[index] == ASCII.carriageReturn || bytes[index] == ASCII.lineFeed else {
                index += 1
                continue
            }
            encodeLine(bytes[lineStart..<index], to: &output)
            if index == bytes.count { break }
            output.append(contentsOf: ASCII.lineBreak)
            if bytes[index] == ASCII.carriageReturn, index + 1 < bytes.count, bytes[index + 1] == ASCII.lineFeed { index += 1 }
            index += 1
            lineStart = index
        }
        return output
    }

    /// Decodes a quoted-printable body: soft line breaks (`=` at a line's end) vanish, `=XX` becomes
    /// its byte, and everything else stays as it is (hard line breaks as CRLF).
    public static func decode(_ bytes: some Collection<UInt8>) -> [UInt8] {
        let bytes = Array(bytes)
        var output = [UInt8]()
        output.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            guard byte == ASCII.equals else {
                output.append(byte)
                index += 1
                continue
            }
            // A soft break: `=`, perhaps trailing white space, then the line break.
            var end = index + 1
            while end < bytes.count, ASCII.isWhitespace(bytes[end]) { end += 1 }
            if end < bytes.count, bytes[end] == ASCII.carriageReturn || bytes[end] == ASCII.lineFeed {
                if bytes[end] == ASCII.carriageReturn, end + 1 < bytes.count, bytes[end + 1] == ASCII.lineFeed { end += 1 }
                index = end + 1
                continue
            }
            if index + 2 < bytes.count, let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2]) {
                output.append(high << 4 | low)
                index += 3
            } else {
                output.append(byte)
                index += 1
            }
        }
        return output
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        default: nil
        }
    }

    /// One line of text (no line breaks in it), with soft line breaks as needed.
    private static func encodeLine(_ line: ArraySlice<UInt8>, to output: inout [UInt8]) {
        var length = 0  // characters on the current encoded line
        var index = line.startIndex
        while index < line.endIndex {
            let byte = line[index]
            if ASCII.isLetterOrDigit(byte) {
                var end = index + 1
                while end < line.endIndex, ASCII.isLetterOrDigit(line[end]) { end += 1 }
                if end - index <= unbrokenRunLength {
                    // The run as one piece: the last piece of a line may reach 76, others leave room for `=`.
                    let limit = end == line.endIndex ? lineLength : lineLength - 1
                    if length + (end - index) > limit {
                        softBreak(&output, &length)
                    }
                    output.append(contentsOf: line[index..<end])
                    length += end - index
                } else {
                    // A longer run may be split anywhere.
                    for position in index..<end {
                        let limit = position + 1 == line.endIndex ? lineLength : lineLength - 1
                        if length + 1 > limit { softBreak(&output, &length) }
                        output.append(line[position])
                        length += 1
                    }
                }
                index = end
                continue
            }
            let isLast = index + 1 == line.endIndex
            // Rule 1 and 2: printable ASCII but `=` as itself, white space as itself unless it ends the line.
            let literal = (byte >= 0x21 && byte <= 0x7E && byte != ASCII.equals)
                || (ASCII.isWhitespace(byte) && !isLast)
            let width = literal ? 1 : 3
            let limit = isLast ? lineLength : lineLength - 1
            if length + width > limit {
                softBreak(&output, &length)
            }
            if literal {
                output.append(byte)
            } else {
                output.append(ASCII.equals)
                output.append(ASCII.hexDigits[Int(byte >> 4)])
                output.append(ASCII.hexDigits[Int(byte & 0x0F)])
            }
            length += width
            index += 1
        }
    }

    private static func softBreak(_ output: inout [UInt8], _ length: inout Int) {
        output.append(ASCII.equals)
        output.append(contentsOf: ASCII.lineBreak)
        length = 0
    }
}
