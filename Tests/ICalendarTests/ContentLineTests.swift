import Foundation
import ICalendar
import Testing

/// RFC 5545 §3.1 content lines and §3.3.11 TEXT values, as the written invitation shows them.
@Suite struct ContentLineTests {
    /// Every physical line: at most 75 octets, valid UTF-8 on its own, CRLF-terminated.
    func checkLines(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let bytes = Array(text.utf8)
        var lines: [[UInt8]] = [[]]
        for (index, byte) in bytes.enumerated() {
            if byte == 0x0A {
                #expect(index > 0 && bytes[index - 1] == 0x0D, "bare LF at octet \(index)", sourceLocation: sourceLocation)
                lines.append([])
            } else if byte == 0x0D {
                #expect(index + 1 < bytes.count && bytes[index + 1] == 0x0A, "bare CR at octet \(index)", sourceLocation: sourceLocation)
            } else {
                lines[lines.count - 1].append(byte)
            }
        }
        #expect(lines.last == [], "the calendar ends with CRLF", sourceLocation: sourceLocation)
        for line in lines.dropLast() {
            #expect(line.count <= 75, "\(line.count) octets: \(String(decoding: line, as: UTF8.self))", sourceLocation: sourceLocation)
            #expect(String(validating: line, as: UTF8.self) != nil, "a character split across lines", sourceLocation: sourceLocation)
        }
    }

    @Test("§3.1: long Finnish text with ä, ö, å, dashes and emoji folds at 75 octets between characters; unfolding gives it back")
    func foldingKeepsCharactersWhole() throws {
        // Paddings of 0–3 ASCII letters move the multi-octet characters across the 75-octet mark, so
        // that 2-, 3- and 4-octet characters (ä, —, 🎉) each come to straddle it somewhere.
        for padding in 0..<4 {
            var invitation = Fixtures.winterMeeting()
            let description = String(repeating: "x", count: padding)
                + "Tervetuloa! Käsittelemme järjestöavustukset — ja Åsan esityksen 🎉🎉 yhteistyöstä; "
                + "öljyä, äyriäisiä ja ålandilaisia sanoja: ääöö—åå🎉👩‍👩‍👧 seurakuntien diakoniatyö ja "
                + String(repeating: "ä—🎉", count: 30) + "\nLoppu."
            invitation.description = description
            invitation.url = nil
            let text = try invitation.render()
            checkLines(text)

            let physical = Fixtures.physicalLines(text)
            let start = try #require(physical.firstIndex { $0.hasPrefix("DESCRIPTION:") })
            let continuation = physical[(start + 1)...].prefix { $0.hasPrefix(" ") }
            #expect(continuation.count >= 3, "the description is long enough to fold several times")
            // A fold before a multi-octet character leaves a line shorter than 75 octets.
            #expect(physical[start...].prefix(continuation.count + 1).contains { $0.utf8.count < 75 && $0.utf8.count > 70 })

            let logical = try #require(Fixtures.properties("DESCRIPTION", in: Fixtures.logicalLines(text)).first)
            #expect(logical == ":" + TextValue.escape(description))
            #expect(TextValue.unescape(String(logical.dropFirst())) == description)
        }
    }

    @Test("§3.1: short lines stay whole and every line ends with CRLF")
    func shortLinesAreNotFolded() throws {
        let text = try Fixtures.winterMeeting().render()
        checkLines(text)
        let lines = Fixtures.physicalLines(text)
        #expect(lines.contains("DTSTART;TZID=Europe/Helsinki:20270210T130000"))
        #expect(lines.contains("STATUS:CONFIRMED"))
        #expect(lines.first == "BEGIN:VCALENDAR" && lines.last == "END:VCALENDAR")
    }

    @Test("§3.3.11: backslash, semicolon, comma and line breaks are escaped, and unescaping gives the text back")
    func textEscaping() {
        #expect(TextValue.escape(#"C:\kokoukset; JYRY, 2027"#) == #"C:\\kokoukset\; JYRY\, 2027"#)
        #expect(TextValue.escape("rivi 1\nrivi 2\r\nrivi 3\rrivi 4") == #"rivi 1\nrivi 2\nrivi 3\nrivi 4"#)
        #expect(TextValue.escape("sarake\tja\u{7}kello") == "sarake\tjakello")
        let samples = [
            "Asialista:\n1. Avaus; läsnäolijat\n2. Toiminta-avustukset, 2027\n\\ kenoviiva \\n ei rivinvaihto",
            "Oulun ensi- ja turvakoti ry; Järjestöyhteistyöryhmä JYRY, Pohde — 🎉",
            "",
        ]
        for sample in samples {
            let escaped = TextValue.escape(sample)
            #expect(!escaped.contains("\n") && !escaped.contains("\r"))
            #expect(TextValue.unescape(escaped) == sample)
        }
    }

    @Test("§3.2: a CN with a comma, colon or semicolon is quoted; others stand bare; a double quote becomes an apostrophe")
    func parameterQuoting() throws {
        func attendeeLine(_ name: String) throws -> String {
            let text = try Fixtures.winterMeeting(attendee: CalendarAddress(name: name, email: "asa.lindqvist@example.fi")).render()
            return try #require(Fixtures.properties("ATTENDEE", in: Fixtures.logicalLines(text)).first)
        }
        #expect(try attendeeLine("Lindqvist, Åsa").hasPrefix(#";CN="Lindqvist, Åsa";ROLE="#))
        #expect(try attendeeLine("Diakonia: Oulun seurakuntayhtymä").hasPrefix(#";CN="Diakonia: Oulun seurakuntayhtymä";"#))
        #expect(try attendeeLine("Järjestötyön koordinaattori").hasPrefix(";CN=Järjestötyön koordinaattori;ROLE="))
        #expect(try attendeeLine(#"Åsa "Åsku" Lindqvist"#).hasPrefix(";CN=Åsa 'Åsku' Lindqvist;ROLE="))
        let organizer = try #require(Fixtures.properties("ORGANIZER", in: Fixtures.logicalLines(try Fixtures.winterMeeting().render())).first)
        #expect(organizer == ";CN=Järjestötyön koordinaattori:mailto:jarjestotyo@pohde.example.fi")
    }

    @Test("§3.3.3: addresses are mailto: URIs; characters a URI cannot carry are percent-encoded")
    func addressesAreMailtoURIs() throws {
        let attendee = CalendarAddress(name: nil, email: "pia.kangas+jyry@example.fi")
        var text = try Fixtures.winterMeeting(attendee: attendee).render()
        #expect(Fixtures.properties("ATTENDEE", in: Fixtures.logicalLines(text)) == [
            ";ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:pia.kangas+jyry@example.fi"
        ])
        text = try Fixtures.winterMeeting(attendee: CalendarAddress(name: "Äijälä", email: "äijälä%a/b@example.fi")).render()
        #expect(Fixtures.properties("ATTENDEE", in: Fixtures.logicalLines(text)).first?.hasSuffix(":mailto:%C3%A4ij%C3%A4l%C3%A4%25a%2Fb@example.fi") == true)
    }
}
