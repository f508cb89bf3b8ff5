import Foundation
import MIME
import Testing
import TestSupport

/// RFC 2045 §6.7 quoted-printable, and the placeholder promise the outbox relies on.
@Suite struct QuotedPrintableTests {
    /// Decodes quoted-printable (RFC 2045 §6.7) so unit tests can check the round trip without Python.
    func decode(_ encoded: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        var index = 0
        while index < encoded.count {
            let byte = encoded[index]
            if byte == UInt8(ascii: "="), index + 2 < encoded.count, encoded[index + 1] == 0x0D, encoded[index + 2] == 0x0A {
                index += 3
            } else if byte == UInt8(ascii: "="), index + 2 < encoded.count,
                let value = UInt8(string(Array(encoded[index + 1...index + 2])), radix: 16) {
                output.append(value)
                index += 3
            } else {
                output.append(byte)
                index += 1
            }
        }
        return output
    }

    func checkLines(_ encoded: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        for line in lines(encoded) {
            #expect(line.utf8.count <= 76, "\(line)", sourceLocation: sourceLocation)
            #expect(!line.hasSuffix(" ") && !line.hasSuffix("\t"), "\(line)", sourceLocation: sourceLocation)
        }
        #expect(!string(encoded).replacingOccurrences(of: "\r\n", with: "").contains("\n"), sourceLocation: sourceLocation)
    }

    @Test("Rule 1 and 2: printable ASCII as itself, = as =3D, non-ASCII bytes as =XX in upper case")
    func literalsAndEscapes() {
        #expect(string(QuotedPrintable.encode("Hei! 1+1=2")) == "Hei! 1+1=3D2")
        #expect(string(QuotedPrintable.encode("Järjestö")) == "J=C3=A4rjest=C3=B6")
        #expect(string(QuotedPrintable.encode("a\u{7}b")) == "a=07b")
    }

    @Test("Rule 3: white space at the end of a line is encoded; inside a line it is not")
    func trailingWhitespace() {
        #expect(string(QuotedPrintable.encode("Now's the time \r\nfor all\t\r\nfolk  to")) == "Now's the time=20\r\nfor all=09\r\nfolk  to")
        #expect(string(QuotedPrintable.encode("loppu  ")) == "loppu =20")
    }

    @Test("Rule 4: line breaks (CRLF, LF or a lone CR in the text) become CRLF hard breaks")
    func hardBreaks() {
        #expect(string(QuotedPrintable.encode("yksi\r\nkaksi\nkolme\rneljä\n")) == "yksi\r\nkaksi\r\nkolme\r\nnelj=C3=A4\r\n")
        #expect(string(QuotedPrintable.encode("\n\n")) == "\r\n\r\n")
    }

    @Test("Rule 5: long lines get soft breaks (=) so that no encoded line exceeds 76 characters")
    func softBreaks() {
        let text = (1...200).map { "sana\($0) ä" }.joined(separator: " ") + "\n" + String(repeating: "=", count: 300)
        let encoded = QuotedPrintable.encode(text)
        checkLines(encoded)
        #expect(lines(encoded).count > 10)
        // The first text line became many encoded lines, all but its last ending in a soft break.
        let firstLine = lines(encoded).prefix { !$0.hasPrefix("=3D") }
        #expect(firstLine.dropLast().allSatisfy { $0.hasSuffix("=") })
        #expect(!firstLine.last!.hasSuffix("="))
        #expect(decode(encoded) == Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8))
    }

    @Test("Rule 5: a soft break never splits an =XX escape, and lines use the full 76 characters")
    func escapesWhole() {
        let text = String(repeating: "ä", count: 200)
        let encoded = QuotedPrintable.encode(text)
        checkLines(encoded)
        for line in lines(encoded).dropLast() {
            #expect(line.hasSuffix("="))
            #expect(line.dropLast().count % 3 == 0, "\(line)")
            #expect(line.count >= 73)
        }
        #expect(decode(encoded) == Array(text.utf8))
    }

    @Test("A line of exactly 76 characters needs no soft break; 77 does")
    func exactLength() {
        #expect(lines(QuotedPrintable.encode(String(repeating: "k", count: 76))).count == 1)
        #expect(lines(QuotedPrintable.encode(String(repeating: "k.", count: 38) + "k")).count == 2)
    }

    @Test("Round trip of awkward text: white space before breaks, = signs, emoji, empty lines")
    func roundTrip() {
        let text = "Tervetuloa!  \n\n= alkaa =\t\n" + String(repeating: "🎉 ", count: 40) + "\n\t \n.\nFrom here\n"
        let encoded = QuotedPrintable.encode(text)
        checkLines(encoded)
        #expect(decode(encoded) == Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8))
    }

    @Test("A run of up to 40 letters and digits is never split by a soft break, at any position in the line")
    func placeholderNotSplit() {
        let placeholder = "TIEDOTINxTOKENx0123456789abcdefghijklmno"  // 40 letters and digits
        #expect(placeholder.count == 40)
        for lead in ["", "ä", "äö", "x=", "a b"] {
            for offset in 0..<160 {
                let text = lead + String(repeating: ".", count: offset) + placeholder + "/loppu?token=" + placeholder + "."
                let encoded = QuotedPrintable.encode(text)
                checkLines(encoded)
                #expect(string(encoded).components(separatedBy: placeholder).count == 3, "offset \(offset): \(string(encoded))")
            }
        }
    }

    @Test("A placeholder in the encoded body can be replaced byte for byte by a token of the same length")
    func placeholderReplaced() throws {
        let placeholder = "PERSONALxTOKENxPLACEHOLDERx0123456789ABC"
        let token = "q7Xk2mR9vL4pN8sT1wY6zB3cD5fG0hJ7kQ2rS9uV"
        #expect(placeholder.count == token.count)
        let text = "Peru tilaus: https://pohde.example.fi/tiedotin/unsubscribe?token=" + placeholder + "\n"
        let html = "<p>Peru tilaus: <a href=\"https://pohde.example.fi/tiedotin/unsubscribe?token=" + placeholder + "\">tästä</a></p>\n"
        let body = try MIMEPart.alternative([.plain(text), .html(html)])
        var message = try Fixtures.headers().render() + body.entity
        let placeholderBytes = Array(placeholder.utf8)
        var replaced = 0
        var index = 0
        while index + placeholderBytes.count <= message.count {
            if Array(message[index..<index + placeholderBytes.count]) == placeholderBytes {
                message.replaceSubrange(index..<index + placeholderBytes.count, with: Array(token.utf8))
                replaced += 1
            }
            index += 1
        }
        #expect(replaced == 2)
        let inspected = try MessageInspector.inspect(message)
        #expect(inspected.defects == [])
        #expect(inspected.parts.map(\.text) == [
            text.replacingOccurrences(of: placeholder, with: token).replacingOccurrences(of: "\n", with: "\r\n"),
            html.replacingOccurrences(of: placeholder, with: token).replacingOccurrences(of: "\n", with: "\r\n"),
        ])
    }

    @Test("Longer runs of letters and digits may be split, still within 76 characters")
    func longRunSplit() {
        let run = String(repeating: "abc123", count: 50)
        let encoded = QuotedPrintable.encode("alku " + run)
        checkLines(encoded)
        #expect(decode(encoded) == Array(("alku " + run).utf8))
    }
}
