/// Writes one Content-Type or Content-Disposition parameter as header words.
///
/// A token is written bare (`charset=utf-8`), other printable ASCII as a quoted string (RFC 2045 §5.1),
/// anything else in RFC 2231 §4 form (`filename*=utf-8''Kokousmuistio%20...`); a value too long for
/// one line is split into RFC 2231 §3 continuations (`name*0`, `name*1`, ...), so every line stays
/// within 76 characters and nothing needs RFC 2047 inside quotes, which §5 of that RFC forbids.
enum MediaParameter {
    /// Longest word: 76 less the space before it and the `;` after it.
    static let wordLength = 74

    /// Checks a parameter name: a short token without the characters RFC 2231 gives a meaning.
    static func checkName(_ name: String) throws(MIMEError) {
        guard ASCII.isToken(name), name.utf8.count <= 100, !name.contains("*"), !name.contains("'"), !name.contains("%") else {
            throw .invalidParameterName(name)
        }
    }

    static func render(name: String, value: String) -> [[UInt8]] {
        let bytes = Array(value.utf8)
        let units: [[UInt8]]
        let extended = !bytes.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
        if extended {
            units = percentEncodedCharacters(bytes)
            let whole = Array("\(name)*=utf-8''".utf8) + units.joined()
            if whole.count <= wordLength { return [whole] }
        } else {
            let whole = Array(name.utf8) + [ASCII.equals] + quotedIfNeeded(bytes[...])
            if whole.count <= wordLength { return [whole] }
            units = bytes.map { $0 == ASCII.quote || $0 == ASCII.backslash ? [ASCII.backslash, $0] : [$0] }
        }
        var words: [[UInt8]] = []
        var index = 0
        while index < units.count {
            let number = words.count
            var word = Array((extended ? "\(name)*\(number)*=\(number == 0 ? "utf-8''" : "")" : "\(name)*\(number)=\"").utf8)
            let closing = extended ? 0 : 1
            // Always at least one unit, so that even a very long name makes progress.
            repeat {
                word.append(contentsOf: units[index])
                index += 1
            } while index < units.count && word.count + units[index].count + closing <= wordLength
            if !extended { word.append(ASCII.quote) }
            words.append(word)
        }
        return words
    }

    private static func quotedIfNeeded(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        if !bytes.isEmpty, bytes.allSatisfy(ASCII.isTokenCharacter) { return Array(bytes) }
        var quoted: [UInt8] = [ASCII.quote]
        for byte in bytes {
            if byte == ASCII.quote || byte == ASCII.backslash { quoted.append(ASCII.backslash) }
            quoted.append(byte)
        }
        quoted.append(ASCII.quote)
        return quoted
    }

    /// Each character of the UTF-8 text, with everything but attribute characters as `%XX`. Kept per
    /// character so that continuations split between characters, whole for readers that decode each
    /// piece on its own.
    private static func percentEncodedCharacters(_ bytes: [UInt8]) -> [[UInt8]] {
        var characters: [[UInt8]] = []
        for byte in bytes {
            var encoded: [UInt8]
            if ASCII.isAttributeCharacter(byte) {
                encoded = [byte]
            } else {
                encoded = [UInt8(ascii: "%"), ASCII.hexDigits[Int(byte >> 4)], ASCII.hexDigits[Int(byte & 0x0F)]]
            }
            if byte & 0xC0 == 0x80, !characters.isEmpty {
                characters[characters.count - 1].append(contentsOf: encoded)  // continuation byte
            } else {
                characters.append(encoded)
            }
        }
        return characters
    }
}
