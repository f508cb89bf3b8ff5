import Foundation

/// A message or MIME part as it arrived in a Maildir: its header fields, unfolded, and its body.
///
/// Reading is forgiving, because what comes back is written by every kind of mail server and some
/// of it is broken: lines may end in LF or CRLF, a part without a header is plain text, and a
/// multipart without its closing boundary ends where the bytes end. Nothing here throws.
struct ReceivedMessage: Sendable {
    /// The header fields in order, names as written, values unfolded (RFC 5322 §2.2.3).
    let fields: [(name: String, value: String)]
    /// The body as it arrived (still transfer-encoded).
    let body: [UInt8]

    /// Reads a message (or a part) from its bytes.
    init(bytes: [UInt8]) {
        var fields: [(name: String, value: String)] = []
        var index = 0
        var lines: [String] = []
        // Header lines run to the first empty line; a body with no header at all starts at once.
        while index < bytes.count {
            let (line, next) = ReceivedMessage.line(in: bytes, from: index)
            index = next
            if line.isEmpty { break }
            lines.append(ReceivedMessage.text(line))
        }
        if let first = lines.first, !first.hasPrefix(" "), !first.hasPrefix("\t"), !first.contains(":") {
            // Not a header at all (a bare text part): all of it is body.
            self.fields = []
            self.body = bytes
            return
        }
        for line in lines {
            if line.first == " " || line.first == "\t" {
                if let last = fields.indices.last { fields[last].value += line }
                continue
            }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces)
            fields.append((name: name, value: String(line[line.index(after: colon)...])))
        }
        self.fields = fields.map { (name: $0.name, value: $0.value.trimmingCharacters(in: .whitespaces)) }
        self.body = Array(bytes[index...])
    }

    /// The first field called `name` (any case), unfolded.
    func field(_ name: String) -> String? {
        fields.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// Every field called `name` (any case), in order.
    func fields(_ name: String) -> [String] {
        fields.filter { $0.name.caseInsensitiveCompare(name) == .orderedSame }.map(\.value)
    }

    /// The subject with RFC 2047 encoded words decoded.
    var subject: String? {
        field("Subject").map(EncodedWordReader.decode)
    }

    /// `Content-Type`, `text/plain` when missing (RFC 2045 §5.2).
    var contentType: MediaTypeValue {
        field("Content-Type").map(MediaTypeValue.init(parsing:)) ?? MediaTypeValue(type: "text", subtype: "plain", parameters: [:])
    }

    /// The body with its `Content-Transfer-Encoding` undone.
    var decodedBody: [UInt8] {
        switch field("Content-Transfer-Encoding")?.lowercased().trimmingCharacters(in: .whitespaces) {
        case "base64":
            let compact = body.filter { !($0 == 10 || $0 == 13 || $0 == 32 || $0 == 9) }
            return Data(base64Encoded: Data(compact), options: .ignoreUnknownCharacters).map { [UInt8]($0) } ?? body
        case "quoted-printable":
            return QuotedPrintableReader.decode(body)
        default:
            return body
        }
    }

    /// The decoded body as text, in its declared charset (UTF-8 or Latin-1 when it cannot be read as declared).
    var text: String {
        let bytes = decodedBody
        let charset = contentType.parameters["charset"]?.lowercased() ?? "us-ascii"
        return EncodedWordReader.string(bytes, charset: charset)
    }

    /// The parts of a multipart entity, in order; empty for anything else.
    var parts: [ReceivedMessage] {
        guard contentType.type == "multipart", let boundary = contentType.parameters["boundary"], !boundary.isEmpty else {
            return []
        }
        return MultipartSplitter.split(body, boundary: boundary).map(ReceivedMessage.init(bytes:))
    }

    /// This entity and every part inside it, depth first; a `message/rfc822` part's own message is not entered.
    var allParts: [ReceivedMessage] {
        [self] + parts.flatMap(\.allParts)
    }

    /// The line starting at `start` without its CRLF or LF, and where the next line starts.
    static func line(in bytes: [UInt8], from start: Int) -> (line: ArraySlice<UInt8>, next: Int) {
        var end = start
        while end < bytes.count, bytes[end] != 10 { end += 1 }
        var lineEnd = end
        if lineEnd > start, bytes[lineEnd - 1] == 13 { lineEnd -= 1 }
        return (bytes[start..<lineEnd], min(end + 1, bytes.count))
    }

    /// Header bytes are ASCII by the RFC and UTF-8 in practice; anything else is read as Latin-1.
    static func text(_ bytes: some Collection<UInt8>) -> String {
        String(validating: bytes, as: UTF8.self) ?? String(bytes.map { Character(Unicode.Scalar($0)) })
    }
}

/// A `Content-Type` value: type, subtype and parameters, names lowercased.
struct MediaTypeValue: Sendable, Equatable {
    let type: String
    let subtype: String
    let parameters: [String: String]

    init(type: String, subtype: String, parameters: [String: String]) {
        self.type = type
        self.subtype = subtype
        self.parameters = parameters
    }

    /// Reads `type/subtype; name=value; name="quoted value"` (RFC 2045 §5.1), forgiving extra spaces.
    init(parsing text: String) {
        var segments = MediaTypeValue.splitOutsideQuotes(text)
        let kind = (segments.isEmpty ? "" : segments.removeFirst()).trimmingCharacters(in: .whitespaces).lowercased()
        let halves = kind.split(separator: "/", maxSplits: 1).map(String.init)
        type = halves.first ?? "text"
        subtype = halves.count > 1 ? halves[1] : "plain"
        var parameters: [String: String] = [:]
        for segment in segments {
            guard let equals = segment.firstIndex(of: "=") else { continue }
            let name = segment[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            var value = segment[segment.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 {
                value = String(value.dropFirst().dropLast()).replacingOccurrences(of: "\\\"", with: "\"")
            }
            parameters[name] = value
        }
        self.parameters = parameters
    }

    /// `type/subtype`.
    var essence: String { type + "/" + subtype }

    private static func splitOutsideQuotes(_ text: String) -> [String] {
        var segments: [String] = []
        var current = ""
        var quoted = false
        for character in text {
            if character == "\"" { quoted.toggle() }
            if character == ";", !quoted {
                segments.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        segments.append(current)
        return segments
    }
}

/// Splits a multipart body at its boundary lines (RFC 2046 §5.1.1).
enum MultipartSplitter {
    static func split(_ body: [UInt8], boundary: String) -> [[UInt8]] {
        let delimiter = Array(("--" + boundary).utf8)
        var parts: [[UInt8]] = []
        var start: Int?
        var index = 0
        while index < body.count {
            let (line, next) = ReceivedMessage.line(in: body, from: index)
            if line.starts(with: delimiter) {
                let rest = line.dropFirst(delimiter.count)
                let isClosing = rest.starts(with: [45, 45])
                // A boundary line may carry trailing white space, nothing else.
                if isClosing || rest.allSatisfy({ $0 == 32 || $0 == 9 }) {
                    if let start {
                        // The line break before a boundary belongs to the boundary.
                        var partEnd = index
                        if partEnd > start, body[partEnd - 1] == 10 { partEnd -= 1 }
                        if partEnd > start, body[partEnd - 1] == 13 { partEnd -= 1 }
                        parts.append(Array(body[start..<max(start, partEnd)]))
                    }
                    if isClosing { return parts }
                    start = next
                }
            }
            index = next
        }
        if let start, start < body.count { parts.append(Array(body[start...])) }
        return parts
    }
}

/// Undoes quoted-printable (RFC 2045 §6.7), leaving a malformed `=` as it is.
enum QuotedPrintableReader {
    static func decode(_ bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            guard byte == 61 else {
                output.append(byte)
                index += 1
                continue
            }
            // A soft line break: "=" at the end of a line (CRLF or LF).
            if index + 1 < bytes.count, bytes[index + 1] == 10 {
                index += 2
                continue
            }
            if index + 2 < bytes.count, bytes[index + 1] == 13, bytes[index + 2] == 10 {
                index += 3
                continue
            }
            if index + 2 < bytes.count, let high = hex(bytes[index + 1]), let low = hex(bytes[index + 2]) {
                output.append(high << 4 | low)
                index += 3
                continue
            }
            output.append(byte)
            index += 1
        }
        return output
    }

    static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 48...57: byte - 48
        case 65...70: byte - 55
        case 97...102: byte - 87
        default: nil
        }
    }
}

/// Decodes RFC 2047 encoded words in header text (`=?UTF-8?Q?Peru_tilaus?=`).
enum EncodedWordReader {
    /// The text with each encoded word decoded; white space between two adjacent encoded words is dropped
    /// (RFC 2047 §6.2). A word that cannot be decoded stays as written.
    static func decode(_ text: String) -> String {
        guard text.contains("=?") else { return text }
        var result = ""
        var rest = Substring(text)
        var previousWasEncoded = false
        while let start = rest.range(of: "=?") {
            guard let decoded = word(in: rest[start.lowerBound...]) else {
                result += rest[..<start.upperBound]
                rest = rest[start.upperBound...]
                previousWasEncoded = false
                continue
            }
            let before = rest[..<start.lowerBound]
            // White space between two encoded words is not part of the text.
            if !(previousWasEncoded && before.allSatisfy { $0 == " " || $0 == "\t" }) {
                result += before
            }
            result += decoded.text
            rest = rest[decoded.end...]
            previousWasEncoded = true
        }
        return result + rest
    }

    private static func word(in text: Substring) -> (text: String, end: Substring.Index)? {
        // =?charset?encoding?encoded-text?=
        let pieces = text.dropFirst(2).split(separator: "?", maxSplits: 3, omittingEmptySubsequences: false)
        guard pieces.count == 4, pieces[3].hasPrefix("=") else { return nil }
        let charset = pieces[0].split(separator: "*").first.map { String($0).lowercased() } ?? ""
        let payload = Array(pieces[2].utf8)
        let bytes: [UInt8]
        switch pieces[1].lowercased() {
        case "b":
            guard let data = Data(base64Encoded: Data(payload), options: .ignoreUnknownCharacters) else { return nil }
            bytes = [UInt8](data)
        case "q":
            bytes = QuotedPrintableReader.decode(payload.map { $0 == 95 ? 32 : $0 })
        default:
            return nil
        }
        let end = pieces[3].index(after: pieces[3].startIndex)
        return (string(bytes, charset: charset), end)
    }

    /// Bytes in a declared charset: UTF-8 and ASCII as such, the ISO-8859 and Windows Latin sets as Latin-1,
    /// and anything unreadable as Latin-1, so that no byte is lost.
    static func string(_ bytes: [UInt8], charset: String) -> String {
        if charset == "utf-8" || charset == "us-ascii" || charset == "utf8" {
            if let text = String(validating: bytes, as: UTF8.self) { return text }
        }
        if charset == "windows-1252" || charset == "cp1252" {
            return String(data: Data(bytes), encoding: .windowsCP1252) ?? ReceivedMessage.text(bytes)
        }
        return String(validating: bytes, as: UTF8.self) ?? String(bytes.map { Character(Unicode.Scalar($0)) })
    }
}
