/// Base64 as a MIME body (RFC 2045 §6.8): lines of 76 characters, CRLF between them.
public enum Base64 {
    /// The longest encoded line RFC 2045 §6.8 allows.
    public static let lineLength = 76

    /// Encodes bytes as a base64 body: 76-character lines joined by CRLF, no line break after the last.
    public static func encodeBody(_ bytes: [UInt8]) -> [UInt8] {
        var output = [UInt8]()
        let inputPerLine = lineLength / 4 * 3
        let lines = (bytes.count + inputPerLine - 1) / inputPerLine
        output.reserveCapacity(lines * (lineLength + 2))
        var start = 0
        while start < bytes.count {
            if start > 0 { output.append(contentsOf: ASCII.lineBreak) }
            let end = min(start + inputPerLine, bytes.count)
            appendEncoded(bytes[start..<end], to: &output)
            start = end
        }
        return output
    }

    /// Appends the plain base64 encoding of the bytes (no line breaks, `=` padding).
    static func appendEncoded(_ bytes: ArraySlice<UInt8>, to output: inout [UInt8]) {
        var index = bytes.startIndex
        while index + 3 <= bytes.endIndex {
            let chunk = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            output.append(alphabet[Int(chunk >> 18 & 0x3F)])
            output.append(alphabet[Int(chunk >> 12 & 0x3F)])
            output.append(alphabet[Int(chunk >> 6 & 0x3F)])
            output.append(alphabet[Int(chunk & 0x3F)])
            index += 3
        }
        let rest = bytes.endIndex - index
        guard rest > 0 else { return }
        let chunk = UInt32(bytes[index]) << 16 | (rest == 2 ? UInt32(bytes[index + 1]) << 8 : 0)
        output.append(alphabet[Int(chunk >> 18 & 0x3F)])
        output.append(alphabet[Int(chunk >> 12 & 0x3F)])
        output.append(rest == 2 ? alphabet[Int(chunk >> 6 & 0x3F)] : ASCII.equals)
        output.append(ASCII.equals)
    }

    private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
}
