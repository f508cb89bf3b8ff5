/// Writes iCalendar content lines (RFC 5545 §3.1): `NAME;PARAM=VALUE:VALUE`, each folded at 75 octets
/// and ended with CRLF. Folding splits only between UTF-8 characters, never inside one, and each
/// continuation line starts with one space, so unfolding (removing every CRLF followed by a space)
/// gives the line back exactly.
struct ContentLineWriter {
    /// Everything written so far.
    private(set) var bytes: [UInt8] = []
    private var line: [UInt8] = []

    /// The longest a line may be, CRLF excluded (§3.1: "SHOULD NOT be longer than 75 octets").
    static let maximumLineOctets = 75

    init(reservingCapacity capacity: Int = 2048) {
        bytes.reserveCapacity(capacity)
        line.reserveCapacity(256)
    }

    /// `BEGIN:NAME`.
    mutating func begin(_ component: String) {
        raw("BEGIN", component)
    }

    /// `END:NAME`.
    mutating func end(_ component: String) {
        raw("END", component)
    }

    /// A property whose value is free text, escaped as §3.3.11 asks.
    mutating func text(_ name: String, _ value: String, parameters: [Parameter] = []) {
        start(name, parameters)
        TextValue.append(escaping: value, to: &line)
        finish()
    }

    /// A property whose value is already in its final form (numbers, dates, URIs, known tokens).
    mutating func raw(_ name: String, _ value: String, parameters: [Parameter] = []) {
        start(name, parameters)
        line.append(contentsOf: value.utf8)
        finish()
    }

    /// A property whose value the caller appends as bytes, e.g. a date-time computed without a string.
    mutating func raw(_ name: String, parameters: [Parameter] = [], value: (inout [UInt8]) -> Void) {
        start(name, parameters)
        value(&line)
        finish()
    }

    /// Lines that were written and folded before, e.g. a time zone definition kept for reuse.
    mutating func appendWritten(_ written: [UInt8]) {
        bytes.append(contentsOf: written)
    }

    private mutating func start(_ name: String, _ parameters: [Parameter]) {
        line.removeAll(keepingCapacity: true)
        line.append(contentsOf: name.utf8)
        for parameter in parameters {
            line.append(UInt8(ascii: ";"))
            line.append(contentsOf: parameter.name.utf8)
            line.append(UInt8(ascii: "="))
            line.append(contentsOf: parameter.encodedValue.utf8)
        }
        line.append(UInt8(ascii: ":"))
    }

    private mutating func finish() {
        Self.fold(line, into: &bytes)
    }

    /// Appends `line` folded at 75 octets and ended with CRLF.
    static func fold(_ line: [UInt8], into output: inout [UInt8]) {
        line.withUnsafeBufferPointer { line in
            var start = 0
            var room = maximumLineOctets
            while line.count - start > room {
                var cut = start + room
                // Back up to the first octet of the character that would straddle the limit: UTF-8
                // continuation octets are 10xxxxxx.
                while cut > start, line[cut] & 0xC0 == 0x80 { cut -= 1 }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: line[start..<cut]))
                output.append(0x0D)
                output.append(0x0A)
                output.append(UInt8(ascii: " "))
                start = cut
                room = maximumLineOctets - 1
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: line[start...]))
        }
        output.append(0x0D)
        output.append(0x0A)
    }

    /// One property parameter (§3.2), its value checked and quoted when it must be.
    struct Parameter: Sendable, Equatable {
        let name: String
        let encodedValue: String

        /// A parameter whose value is a fixed token of this library (`ROLE=REQ-PARTICIPANT`).
        init(token name: String, _ value: String) {
            self.name = name
            encodedValue = value
        }

        /// A parameter with a value from outside, e.g. a person's name in `CN`. A value with `:`, `;` or
        /// `,` is put in double quotes (§3.2 param-value); a double quote, which no parameter value
        /// can carry, is written as an apostrophe.
        init(_ name: String, _ value: String, property: String) throws(ICalendarError) {
            try SingleLineValue.check(value, property: "\(property) \(name)")
            self.name = name
            let value = value.utf8.contains(UInt8(ascii: "\"")) ? String(value.map { $0 == "\"" ? "'" : $0 }) : value
            let needsQuotes = value.utf8.contains { $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ";") || $0 == UInt8(ascii: ",") }
            encodedValue = needsQuotes ? "\"" + value + "\"" : value
        }
    }
}
