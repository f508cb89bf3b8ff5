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

    /// Decodes a base64 body, skipping line breaks and other bytes outside the alphabet (RFC 2045
    /// §6.8 tells decoders to ignore them); padding ends the data.
    public static func decodeBody(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var output = [UInt8]()
        output.reserveCapacity(bytes.count / 4 * 3)
        var chunk: UInt32 = 0
        var count = 0
        for byte in bytes {
            if byte == ASCII.equals { break }
            let value = decodingTable[Int(byte)]
            guard value >= 0 else { continue }
            chunk = chunk << 6 | UInt32(value)
            count += 1
            if count == 4 {
                output.append(UInt8(chunk >> 16 & 0xFF))
                output.append(UInt8(chunk >> 8 & 0xFF))
                output.append(UInt8(chunk & 0xFF))
                chunk = 0
                count = 0
            }
        }
        if count == 3 {
            output.append(UInt8(chunk >> 10 & 0xFF))
            output.append(UInt8(chunk >> 2 & 0xFF))
        } else if count == 2 {
            output.append(UInt8(chunk >> 4 & 0xFF))
        }
        return output
    }

    private static let decodingTable: [Int8] = {
        var table = [Int8](repeating: -1, count: 256)
        for (index, byte) in alphabet.enumerated() { table[Int(byte)] = Int8(index) }
        return table
    }()

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
