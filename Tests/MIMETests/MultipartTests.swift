import Foundation
import MIME
import Testing
import TestSupport

/// RFC 2046 §5.1 multiparts, RFC 2045 §6.8 base64 and RFC 2183 / RFC 2231 attachments.
@Suite struct MultipartTests {
    let plain = "Hei Pia,\n\ntervetuloa Järjestöyhteistyöryhmä JYRYn kokoukseen.\n"
    let html = "<p>Hei Pia,</p>\n<p>tervetuloa <b>Järjestöyhteistyöryhmä JYRYn</b> kokoukseen.</p>\n"

    func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    /// The boundary parameter of the entity's Content-Type.
    func boundary(of entity: [UInt8]) throws -> String {
        let text = string(entity)
        let start = try #require(text.range(of: "boundary=\""))
        let end = try #require(text[start.upperBound...].firstIndex(of: "\""))
        return String(text[start.upperBound..<end])
    }

    @Test("§6.8: a base64 body has lines of exactly 76 characters but the last, and decodes to the data")
    func base64Lines() throws {
        for count in [0, 1, 2, 3, 56, 57, 58, 114, 10_000] {
            let data = randomBytes(count)
            let encoded = Base64.encodeBody(data)
            let bodyLines = lines(encoded)
            for line in bodyLines.dropLast() { #expect(line.count == 76) }
            #expect(bodyLines.last!.count <= 76)
            #expect(Data(base64Encoded: bodyLines.joined()) == Data(data))
        }
    }

    @Test("§5.1.4: multipart/alternative with text/plain first, then text/html, both decoded by Python")
    func alternative() throws {
        let body = try MIMEPart.alternative([.plain(plain), .html(html)])
        #expect(body.mediaType == "multipart/alternative")
        let inspected = try MessageInspector.inspect(try Fixtures.message(Fixtures.headers(), body: body))
        #expect(inspected.defects == [])
        #expect(inspected.structure == "multipart/alternative(text/plain,text/html)")
        #expect(inspected.parts.map(\.charset) == ["utf-8", "utf-8"])
        #expect(inspected.parts.map(\.transferEncoding) == ["quoted-printable", "quoted-printable"])
        #expect(inspected.parts.map(\.text) == [plain, html].map { $0.replacingOccurrences(of: "\n", with: "\r\n") })
    }

    @Test("§5.1.3: multipart/mixed nesting the alternative and an attachment named Esityslista 10.2.2027.pdf")
    func mixedWithAttachment() throws {
        let pdf = Array("%PDF-1.4\n".utf8) + randomBytes(30_000)
        let body = try MIMEPart.mixed([
            .alternative([.plain(plain), .html(html)]),
            .attachment(pdf, contentType: "application/pdf", filename: "Esityslista 10.2.2027.pdf"),
        ])
        let message = try Fixtures.message(Fixtures.headers(), body: body)
        #expect(string(message).contains("Content-Disposition: attachment; filename=\"Esityslista 10.2.2027.pdf\"\r\n"))
        let inspected = try MessageInspector.inspect(message)
        #expect(inspected.defects == [])
        #expect(inspected.structure == "multipart/mixed(multipart/alternative(text/plain,text/html),application/pdf)")
        let attachment = try #require(inspected.parts.last)
        #expect(attachment.filename == "Esityslista 10.2.2027.pdf")
        #expect(attachment.disposition == "attachment")
        #expect(attachment.transferEncoding == "base64")
        #expect(attachment.params["name"] == "Esityslista 10.2.2027.pdf")
        #expect(attachment.size == pdf.count)
        #expect(inspected.maxLineOctets <= 76)
    }

    @Test("RFC 2231: non-ASCII and long file names are encoded (and continued) and decoded back by Python")
    func encodedFilenames() throws {
        let names = [
            "Pöytäkirja.pdf",
            "Kokousmuistio – Järjestöyhteistyöryhmä JYRY 10.2.2027, Ikäihmisten palvelujen järjestöverkosto.pdf",
            "Very long ASCII file name of the cooperation group meeting agenda and minutes 2027.pdf",
            "lainaus \"x\" ja kenoviiva \\ ja puolipiste; tässä.txt",
            "rivinvaihto\r\nBcc: huijari@example.fi.txt",
        ]
        for name in names {
            let body = try MIMEPart.mixed([.plain(plain), .attachment([1, 2, 3], contentType: "application/octet-stream", filename: name)])
            let message = try Fixtures.message(Fixtures.headers(), body: body)
            for line in lines(message) { #expect(line.utf8.count <= 78, "\(line)") }
            let inspected = try MessageInspector.inspect(message)
            #expect(inspected.defects == [], "\(name)")
            #expect(inspected.parts.last?.filename == name)
            #expect(inspected.parts.last?.params["name"] == name)
            #expect(!string(message).contains("\r\nBcc:"))
        }
    }

    @Test("§5.1.1: the boundary occurs only on delimiter lines, never in a part's content")
    func boundaryNotInContent() throws {
        // Text full of things that look like delimiters; QP writes '=' as =3D, so none can match.
        let tricky = (0..<50).map { "--=_\($0) --" }.joined(separator: "\n")
        let inner = try MIMEPart.alternative([.plain(tricky), .html("<pre>" + tricky + "</pre>")])
        let outer = try MIMEPart.mixed([inner, .attachment(randomBytes(5_000), contentType: "image/png", filename: "kuva.png")])
        let outerBoundary = try boundary(of: outer.entity)
        let innerBoundary = try boundary(of: inner.entity)
        #expect(outerBoundary != innerBoundary)
        #expect(outerBoundary.count <= 70 && innerBoundary.count <= 70)
        let outerLines = lines(outer.entity)
        #expect(outerLines.filter { $0.contains(outerBoundary) }.count == 1 + 3)  // Content-Type, 2 delimiters, close
        #expect(outerLines.filter { $0 == "--" + outerBoundary }.count == 2)
        #expect(outerLines.filter { $0 == "--" + outerBoundary + "--" }.count == 1)
        #expect(!string(inner.entity).contains(outerBoundary))
        let inspected = try MessageInspector.inspect(try Fixtures.message(Fixtures.headers(), body: outer))
        #expect(inspected.defects == [])
        #expect(inspected.parts.first?.text == tricky.replacingOccurrences(of: "\n", with: "\r\n"))
    }

    @Test("Boundaries are random: two multiparts of the same parts differ")
    func boundariesRandom() throws {
        let one = try MIMEPart.alternative([.plain(plain)])
        let two = try MIMEPart.alternative([.plain(plain)])
        #expect(try boundary(of: one.entity) != boundary(of: two.entity))
    }

    @Test("§5.1.1: a multipart needs at least one part")
    func emptyMultipartRefused() {
        #expect(throws: MIMEError.emptyMultipart(subtype: "mixed")) { try MIMEPart.mixed([]) }
    }

    @Test("An iCalendar part carries method= and charset=utf-8 (RFC 6047 §2.4), its CRLF lines kept")
    func calendarPart() throws {
        let ics = "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nSUMMARY:Järjestöyhteistyöryhmä JYRY\r\nEND:VCALENDAR\r\n"
        let body = try MIMEPart.alternative([.plain(plain), .calendar(ics, method: "REQUEST")])
        let inspected = try MessageInspector.inspect(try Fixtures.message(Fixtures.headers(), body: body))
        #expect(inspected.defects == [])
        let calendar = try #require(inspected.parts.last)
        #expect(calendar.contentType == "text/calendar")
        #expect(calendar.params["method"] == "REQUEST")
        #expect(calendar.charset == "utf-8")
        #expect(calendar.text == ics)
    }

    @Test("A text part can be asked for in base64; its line breaks are made CRLF first (RFC 2046 §4.1.1)")
    func base64Text() throws {
        let part = try MIMEPart.text("rivi 1\nrivi 2 ä\n", transferEncoding: .base64)
        #expect(string(part.entity).contains("Content-Transfer-Encoding: base64\r\n"))
        let inspected = try MessageInspector.inspect(try Fixtures.message(Fixtures.headers(), body: part))
        #expect(inspected.defects == [])
        #expect(inspected.parts.first?.text == "rivi 1\r\nrivi 2 ä\r\n")
    }

    @Test("Bad media types and parameter names are refused with a typed error")
    func badTypesRefused() {
        #expect(throws: MIMEError.invalidMediaType("application pdf")) {
            try MIMEPart.attachment([], contentType: "application pdf", filename: "a.pdf")
        }
        #expect(throws: MIMEError.invalidMediaType("text/plain\r\nBcc: x@example.fi")) {
            try MIMEPart.attachment([], contentType: "text/plain\r\nBcc: x@example.fi", filename: "a.txt")
        }
        #expect(throws: MIMEError.invalidParameterName("charset")) {
            try MIMEPart.text("x", extraParameters: [("charset", "latin1")])
        }
        #expect(throws: MIMEError.invalidParameterName("method\r\nX")) {
            try MIMEPart.text("x", subtype: "calendar", extraParameters: [("method\r\nX", "REQUEST")])
        }
    }
}
