import Foundation
import MIME
import Testing
import TestSupport

/// Per-recipient values in a shared body: the newsletter's personal unsubscribe link and an
/// invitation's one ATTENDEE line, in quoted-printable and base64 parts, judged by Python's email package.
@Suite struct PersonalisedEntityTests {
    static let link = "TIEDOTIN-UNSUBSCRIBE-LINK"
    static let attendee = "TIEDOTIN-ATTENDEE-LINE"

    static let text = "Hyvä lukija,\n\nuutiskirje on tässä.\n\nPeru tilaus: \(link)\n"
    static let html = "<p>Hyvä lukija,</p>\n<p><a href=\"\(link)\">Peru tilaus</a></p>\n"
    static let calendar = "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:jyry-2027-02@pohde.example.fi\r\n\(attendee)\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"

    static func entity(calendarEncoding: MIMEPart.TransferEncoding) throws -> [UInt8] {
        try MIMEPart.mixed([
            .alternative([.plain(text), .html(html)]),
            .calendar(calendar, method: "REQUEST", transferEncoding: calendarEncoding),
        ]).entity
    }

    static func values(token: String, attendee line: String) -> [String: String] {
        [link: "https://pohde.example.fi/tiedotin/unsubscribe?token=\(token)", attendee: line]
    }

    @Test(arguments: [MIMEPart.TransferEncoding.base64, .quotedPrintable])
    func eachRecipientGetsTheirOwnValuesInsideEveryEncoding(calendarEncoding: MIMEPart.TransferEncoding) throws {
        let shared = PersonalisedEntity(entity: try Self.entity(calendarEncoding: calendarEncoding), placeholders: [Self.link, Self.attendee])
        let people = [
            ("q7xk2mr9vl4pn8st1wy6zb3cd5", "ATTENDEE;CN=Pia Kangas;RSVP=TRUE:mailto:pia.kangas@example.fi"),
            // Longer, non-ASCII, and with a comma: the value is encoded, not swapped in byte for byte.
            ("a2b3c4d5e6f7g2h3i4j5k6l7m2", "ATTENDEE;CN=\"Lindqvist, Åsa\";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:asa.lindqvist@seurakuntayhtymä.example.fi"),
        ]
        for (token, line) in people {
            let values = Self.values(token: token, attendee: line)
            let body = shared.render(values)
            let message = Array("From: jarjestotyo@pohde.example.fi\r\nTo: pia.kangas@example.fi\r\nSubject: Testi\r\nMIME-Version: 1.0\r\n".utf8) + body
            // Encoded lines stay within RFC 2045's 76 characters.
            let lines = String(decoding: body, as: UTF8.self).components(separatedBy: "\r\n")
            #expect(lines.allSatisfy { $0.utf8.count <= 76 }, "\(lines.filter { $0.utf8.count > 76 })")
            let inspected = try MessageInspector.inspect(message)
            #expect(inspected.defects.isEmpty, "\(inspected.defects)")
            #expect(inspected.structure == "multipart/mixed(multipart/alternative(text/plain,text/html),text/calendar)")
            let texts = inspected.parts.map(\.text)
            #expect(texts.count == 3)
            #expect(texts.first == Self.text.replacingOccurrences(of: Self.link, with: values[Self.link]!).replacingOccurrences(of: "\n", with: "\r\n"))
            #expect(texts.dropFirst().first == Self.html.replacingOccurrences(of: Self.link, with: values[Self.link]!).replacingOccurrences(of: "\n", with: "\r\n"))
            #expect(texts.last == Self.calendar.replacingOccurrences(of: Self.attendee, with: line))
        }
    }

    @Test func aBodyWithoutThePlaceholdersIsLeftByteForByte() throws {
        let entity = try MIMEPart.alternative([.plain("Ei henkilökohtaista tekstiä.\n"), .html("<p>Ei mitään.</p>\n")]).entity
        let shared = PersonalisedEntity(entity: entity, placeholders: [Self.link])
        #expect(shared.render([Self.link: "https://pohde.example.fi/x"]) == entity)
    }
}
