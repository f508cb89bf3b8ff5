/// RFC 5545 §3.3.11 TEXT values: backslash, semicolon and comma escaped with a backslash, every line
/// break (CRLF, CR or LF) written as `\n`, so that free text such as an agenda stays on one content line.
public enum TextValue {
    /// `text` escaped for a TEXT property value. Control characters other than a tab, which TEXT cannot
    /// carry (§3.3.11 TSAFE-CHAR), are left out.
    public static func escape(_ text: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count + 8)
        append(escaping: text, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The text an escaped TEXT value stands for: the inverse of `escape` (`\n` and `\N` become LF).
    public static func unescape(_ value: String) -> String {
        var result = ""
        var escaped = false
        for character in value {
            if escaped {
                result.append(character == "n" || character == "N" ? "\n" : character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                result.append(character)
            }
        }
        return result
    }

    static func append(escaping text: String, to output: inout [UInt8]) {
        // Every byte that needs attention is ASCII, and UTF-8 never uses ASCII bytes inside a
        // multi-byte character, so working on bytes keeps characters whole.
        var previousWasCR = false
        for byte in text.utf8 {
            defer { previousWasCR = byte == 0x0D }
            switch byte {
            case UInt8(ascii: "\\"), UInt8(ascii: ";"), UInt8(ascii: ","):
                output.append(UInt8(ascii: "\\"))
                output.append(byte)
            case 0x0D:
                output.append(UInt8(ascii: "\\"))
                output.append(UInt8(ascii: "n"))
            case 0x0A:
                if !previousWasCR {
                    output.append(UInt8(ascii: "\\"))
                    output.append(UInt8(ascii: "n"))
                }
            case 0x09:
                output.append(byte)
            case 0x00..<0x20, 0x7F:
                continue
            default:
                output.append(byte)
            }
        }
    }
}
