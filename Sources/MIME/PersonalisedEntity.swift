import Foundation

/// A MIME entity shared by every recipient of a send, with placeholders that each recipient's own
/// values replace at send time: the newsletter's personal unsubscribe link, an invitation's one
/// ATTENDEE line.
///
/// Placeholders are looked for in the decoded content of each part, so they work inside
/// quoted-printable and base64 parts alike, and a value of any length or script is encoded as the
/// part's transfer encoding requires (a raw byte swap would break base64 and the 76-character lines
/// of quoted-printable). The entity is taken apart once; `render` then re-encodes only the parts that
/// hold a placeholder.
public struct PersonalisedEntity: Sendable {
    private enum Segment: Sendable {
        /// Bytes every recipient gets as they are.
        case literal([UInt8])
        /// A part's decoded content holding placeholders, to encode again per recipient.
        case content([UInt8], TransferCoding)
    }

    private enum TransferCoding: Sendable {
        case quotedPrintable, base64, identity
    }

    private let segments: [Segment]
    private let placeholders: [[UInt8]]

    /// Takes `entity` (its MIME headers, a blank line, its body; CRLF) apart around the parts whose
    /// content holds any of `placeholders`.
    public init(entity: [UInt8], placeholders: [String]) {
        self.placeholders = placeholders.map { Array($0.utf8) }.filter { !$0.isEmpty }
        var segments: [Segment] = []
        PersonalisedEntity.split(entity[...], placeholders: self.placeholders, into: &segments)
        self.segments = segments
    }

    /// The entity with each placeholder replaced by its value for one recipient.
    public func render(_ values: [String: String]) -> [UInt8] {
        let pairs = values.map { (Array($0.key.utf8), Array($0.value.utf8)) }.filter { !$0.0.isEmpty }
        var output = [UInt8]()
        for segment in segments {
            switch segment {
            case .literal(let bytes):
                output.append(contentsOf: bytes)
            case .content(let content, let coding):
                var replaced = content
                for (placeholder, value) in pairs {
                    replaced = replaced.replacing(placeholder, with: value)
                }
                switch coding {
                case .quotedPrintable: output.append(contentsOf: QuotedPrintable.encode(utf8: replaced))
                case .base64: output.append(contentsOf: Base64.encodeBody(replaced))
                case .identity: output.append(contentsOf: replaced)
                }
            }
        }
        return output
    }

    /// Splits one entity: a multipart part by part, a leaf into its headers and its content.
    private static func split(_ entity: ArraySlice<UInt8>, placeholders: [[UInt8]], into segments: inout [Segment]) {
        guard !placeholders.isEmpty, let headerEnd = headerEnd(of: entity) else {
            appendLiteral(entity, to: &segments)
            return
        }
        let headers = unfoldedHeaders(entity[entity.startIndex..<headerEnd])
        let body = entity[headerEnd...]
        let contentType = headers["content-type"] ?? "text/plain"
        if contentType.lowercased().hasPrefix("multipart/"), let boundary = boundary(in: contentType) {
            appendLiteral(entity[entity.startIndex..<headerEnd], to: &segments)
            splitMultipart(body, boundary: Array(boundary.utf8), placeholders: placeholders, into: &segments)
            return
        }
        let coding: TransferCoding = switch headers["content-transfer-encoding"]?.lowercased() {
        case "quoted-printable": .quotedPrintable
        case "base64": .base64
        default: .identity
        }
        let content = switch coding {
        case .quotedPrintable: QuotedPrintable.decode(body)
        case .base64: Base64.decodeBody(body)
        case .identity: Array(body)
        }
        guard placeholders.contains(where: { content.contains(bytes: $0) }) else {
            appendLiteral(entity, to: &segments)
            return
        }
        appendLiteral(entity[entity.startIndex..<headerEnd], to: &segments)
        segments.append(.content(content, coding))
    }

    /// The parts between `--boundary` lines (RFC 2046 §5.1.1), each split on its own; delimiters,
    /// preamble and epilogue stay as they are.
    private static func splitMultipart(
        _ body: ArraySlice<UInt8>, boundary: [UInt8], placeholders: [[UInt8]], into segments: inout [Segment]
    ) {
        let delimiter = [UInt8(ascii: "-"), UInt8(ascii: "-")] + boundary
        // Delimiter lines: at the body's start or after a CRLF.
        var starts: [Int] = []
        var index = body.startIndex
        while let found = body[index...].firstRange(of: delimiter) {
            let atLineStart = found.lowerBound == body.startIndex
                || (found.lowerBound - body.startIndex >= 2 && body[found.lowerBound - 2] == ASCII.carriageReturn
                    && body[found.lowerBound - 1] == ASCII.lineFeed)
            if atLineStart { starts.append(found.lowerBound) }
            index = found.upperBound
        }
        guard starts.count >= 2 else {
            appendLiteral(body, to: &segments)
            return
        }
        var literalStart = body.startIndex
        for (number, start) in starts.dropLast().enumerated() {
            // The part begins after its delimiter line and ends at the CRLF before the next delimiter.
            guard let lineEnd = body[start...].firstRange(of: ASCII.lineBreak)?.upperBound else { break }
            let end = starts[number + 1] - 2
            guard lineEnd <= end else { continue }
            appendLiteral(body[literalStart..<lineEnd], to: &segments)
            split(body[lineEnd..<end], placeholders: placeholders, into: &segments)
            literalStart = end
        }
        appendLiteral(body[literalStart...], to: &segments)
    }

    private static func appendLiteral(_ bytes: ArraySlice<UInt8>, to segments: inout [Segment]) {
        guard !bytes.isEmpty else { return }
        if case .literal(let previous) = segments.last {
            segments[segments.count - 1] = .literal(previous + bytes)
        } else {
            segments.append(.literal(Array(bytes)))
        }
    }

    /// Where the body starts: after the blank line that ends the headers.
    private static func headerEnd(of entity: ArraySlice<UInt8>) -> Int? {
        if entity.starts(with: ASCII.lineBreak) { return entity.startIndex + 2 }
        return entity.firstRange(of: ASCII.lineBreak + ASCII.lineBreak)?.upperBound
    }

    /// Header fields by lowercased name, folded lines joined.
    private static func unfoldedHeaders(_ bytes: ArraySlice<UInt8>) -> [String: String] {
        let text = String(decoding: bytes, as: UTF8.self)
            .replacingOccurrences(of: "\r\n ", with: " ").replacingOccurrences(of: "\r\n\t", with: " ")
        var fields: [String: String] = [:]
        for line in text.split(separator: "\r\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            fields[name] = line[line.index(after: colon)...].trimmingCharacters(in: [" ", "\t"])
        }
        return fields
    }

    /// The `boundary` parameter of a Content-Type value, quoted or not.
    private static func boundary(in contentType: String) -> String? {
        guard let range = contentType.range(of: "boundary=", options: .caseInsensitive) else { return nil }
        var value = contentType[range.upperBound...]
        if value.hasPrefix("\"") {
            value = value.dropFirst()
            return value.firstIndex(of: "\"").map { String(value[..<$0]) }
        }
        return String(value.prefix { $0 != ";" && $0 != " " })
    }
}
