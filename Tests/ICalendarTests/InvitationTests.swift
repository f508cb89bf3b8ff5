import Foundation
import ICalendar
import Testing

/// Invitations and cancellations against RFC 5546 §3.2.2 (REQUEST) and §3.2.5 (CANCEL), and the input a
/// writer must refuse.
@Suite struct InvitationTests {
    func count(_ name: String, in lines: [String]) -> Int {
        Fixtures.properties(name, in: lines).count
    }

    /// The properties RFC 5546 §3.2.2 and §3.2.5 require of the VCALENDAR and of its VTIMEZONE.
    func checkCalendarLevel(_ text: String, method: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let lines = Fixtures.logicalLines(text)
        let calendarLevel = lines.prefix { $0 != "BEGIN:VTIMEZONE" && $0 != "BEGIN:VEVENT" }
        #expect(Array(calendarLevel) == [
            "BEGIN:VCALENDAR", "PRODID:-//Pohjois-Pohjanmaan hyvinvointialue//tiedotin//FI", "VERSION:2.0",
            "CALSCALE:GREGORIAN", "METHOD:\(method)",
        ], sourceLocation: sourceLocation)
        #expect(lines.filter { $0 == "BEGIN:VEVENT" }.count == 1, sourceLocation: sourceLocation)
        // "VTIMEZONE ... MUST be present if any date/time refers to timezone", with the same TZID.
        #expect(lines.filter { $0 == "BEGIN:VTIMEZONE" }.count == 1, sourceLocation: sourceLocation)
        #expect(Fixtures.lines(of: "VTIMEZONE", in: text).contains("TZID:Europe/Helsinki"), sourceLocation: sourceLocation)
        #expect(lines.firstIndex(of: "END:VTIMEZONE")! < lines.firstIndex(of: "BEGIN:VEVENT")!, sourceLocation: sourceLocation)
        #expect(!lines.contains("BEGIN:VALARM"), sourceLocation: sourceLocation)
    }

    @Test("RFC 5546 §3.2.2: a REQUEST has METHOD, PRODID, VERSION, and a VEVENT with one each of UID, DTSTAMP, DTSTART, ORGANIZER, SUMMARY, one ATTENDEE asked to reply")
    func requestHasWhatRFC5546Requires() throws {
        let text = try Fixtures.winterMeeting().render()
        checkCalendarLevel(text, method: "REQUEST")
        let event = Fixtures.lines(of: "VEVENT", in: text)
        for name in ["UID", "DTSTAMP", "DTSTART", "DTEND", "ORGANIZER", "SUMMARY", "SEQUENCE", "STATUS", "ATTENDEE", "LOCATION", "DESCRIPTION", "URL"] {
            #expect(count(name, in: event) == 1, "\(name) once")
        }
        #expect(count("DURATION", in: event) == 0, "DTEND and DURATION exclude each other")
        #expect(event.contains("UID:jyry-2027-02-10@pohde.example.fi"))
        #expect(event.contains("DTSTAMP:20270115T083012Z"), "DTSTAMP in UTC (RFC 5545 §3.8.7.2)")
        #expect(event.contains("SEQUENCE:0"))
        #expect(event.contains("STATUS:CONFIRMED"))
        #expect(event.contains("ATTENDEE;CN=Pia Kangas;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:pia.kangas@example.fi"))
        #expect(event.contains("ORGANIZER;CN=Järjestötyön koordinaattori:mailto:jarjestotyo@pohde.example.fi"))
        #expect(event.contains("SUMMARY:Järjestöyhteistyöryhmä JYRY: kokous 1/2027"))
        #expect(event.contains(#"LOCATION:Pohjankartano\, kokoushuone Kaarna\, Oulu"#))
    }

    @Test("RFC 5546 §3.2.5: the CANCEL keeps the UID, has a higher SEQUENCE and STATUS:CANCELLED, and asks for no reply")
    func cancelHasWhatRFC5546Requires() throws {
        let request = Fixtures.winterMeeting(attendee: Fixtures.asa)
        let cancel = request.cancellation(stamp: Fixtures.utc(2027, 2, 1, 9, 15))
        #expect(cancel.method == .cancel && cancel.uid == request.uid && cancel.sequence == request.sequence + 1)
        let text = try cancel.render()
        checkCalendarLevel(text, method: "CANCEL")
        let event = Fixtures.lines(of: "VEVENT", in: text)
        for name in ["UID", "DTSTAMP", "ORGANIZER", "SEQUENCE", "STATUS", "ATTENDEE", "DTSTART"] {
            #expect(count(name, in: event) == 1, "\(name) once")
        }
        #expect(event.contains("UID:jyry-2027-02-10@pohde.example.fi"))
        #expect(event.contains("SEQUENCE:1"))
        #expect(event.contains("DTSTAMP:20270201T091500Z"))
        #expect(event.contains("STATUS:CANCELLED"))
        #expect(event.contains(#"ATTENDEE;CN="Lindqvist, Åsa";ROLE=REQ-PARTICIPANT:mailto:asa.lindqvist@example.fi"#))
    }

    @Test("An update is a REQUEST with the same UID and the next SEQUENCE")
    func updateKeepsUID() throws {
        var update = Fixtures.winterMeeting()
        update.sequence = 2
        update.start = Fixtures.helsinkiTime(2027, 2, 10, 14)
        update.end = Fixtures.helsinkiTime(2027, 2, 10, 16)
        let event = Fixtures.lines(of: "VEVENT", in: try update.render())
        #expect(event.contains("UID:jyry-2027-02-10@pohde.example.fi"))
        #expect(event.contains("SEQUENCE:2"))
        #expect(event.contains("DTSTART;TZID=Europe/Helsinki:20270210T140000"))
    }

    @Test("Times are Helsinki wall-clock times with TZID: 13:00 in February (+02:00) and in June (+03:00) both read 130000")
    func wallClockTimes() throws {
        let winter = Fixtures.lines(of: "VEVENT", in: try Fixtures.winterMeeting().render())
        #expect(winter.contains("DTSTART;TZID=Europe/Helsinki:20270210T130000"))
        #expect(winter.contains("DTEND;TZID=Europe/Helsinki:20270210T150000"))
        let summer = Fixtures.lines(of: "VEVENT", in: try Fixtures.summerMeeting().render())
        #expect(summer.contains("DTSTART;TZID=Europe/Helsinki:20270609T130000"))
        #expect(summer.contains("DTEND;TZID=Europe/Helsinki:20270609T150000"))
    }

    @Test("The URL also ends the description, where Outlook and Google Calendar show it, unless the description has it already")
    func urlInDescription() throws {
        var invitation = Fixtures.winterMeeting()
        invitation.description = "Asialista liitteenä."
        var event = Fixtures.lines(of: "VEVENT", in: try invitation.render())
        #expect(event.contains(#"DESCRIPTION:Asialista liitteenä.\n\nhttps://pohde.example.fi/jarjestot/jyry"#))
        invitation.description = "Lisätietoja: https://pohde.example.fi/jarjestot/jyry"
        event = Fixtures.lines(of: "VEVENT", in: try invitation.render())
        #expect(event.contains("DESCRIPTION:Lisätietoja: https://pohde.example.fi/jarjestot/jyry"))
        invitation.description = nil
        invitation.url = nil
        invitation.location = nil
        event = Fixtures.lines(of: "VEVENT", in: try invitation.render())
        #expect(count("DESCRIPTION", in: event) == 0 && count("URL", in: event) == 0 && count("LOCATION", in: event) == 0)
    }

    @Test("A line break in UID, an address or a name is refused rather than written as a property of its own")
    func injectionIsRefused() {
        var invitation = Fixtures.winterMeeting()
        invitation.uid = "jyry@pohde.example.fi\r\nATTENDEE:mailto:vieras@example.com"
        #expect(throws: ICalendarError.lineBreak(property: "UID")) { try invitation.render() }

        invitation = Fixtures.winterMeeting(attendee: CalendarAddress(name: "Pia Kangas", email: "pia.kangas@example.fi\nATTENDEE:mailto:vieras@example.com"))
        #expect(throws: ICalendarError.lineBreak(property: "ATTENDEE")) { try invitation.render() }

        invitation = Fixtures.winterMeeting(attendee: CalendarAddress(name: "Pia\r\nKangas", email: "pia.kangas@example.fi"))
        #expect(throws: ICalendarError.lineBreak(property: "ATTENDEE CN")) { try invitation.render() }

        invitation = Fixtures.winterMeeting()
        invitation.organizer.name = "Järjestötyö\u{2028}koordinaattori"
        #expect(throws: ICalendarError.lineBreak(property: "ORGANIZER CN")) { try invitation.render() }

        invitation = Fixtures.winterMeeting()
        invitation.productID = "-//Pohde//tiedotin//FI\nMETHOD:PUBLISH"
        #expect(throws: ICalendarError.lineBreak(property: "PRODID")) { try invitation.render() }

        invitation = Fixtures.winterMeeting()
        invitation.uid = "jyry\u{1B}[31m@pohde.example.fi"
        #expect(throws: ICalendarError.controlCharacter(property: "UID")) { try invitation.render() }

        let error = ICalendarError.lineBreak(property: "UID")
        #expect(error.description.contains("UID") && error.description.contains("line break"))
    }

    @Test("Line breaks in free text stay inside the value as \\n: no property can be injected through SUMMARY or DESCRIPTION")
    func textCannotInject() throws {
        var invitation = Fixtures.winterMeeting()
        invitation.summary = "JYRY\r\nATTENDEE:mailto:vieras@example.com"
        invitation.description = "Asialista\nEND:VEVENT\r\nBEGIN:VEVENT"
        let text = try invitation.render()
        let lines = Fixtures.logicalLines(text)
        #expect(lines.filter { $0.hasPrefix("ATTENDEE") }.count == 1)
        #expect(lines.filter { $0 == "BEGIN:VEVENT" }.count == 1)
        #expect(lines.contains(#"SUMMARY:JYRY\nATTENDEE:mailto:vieras@example.com"#))
    }

    @Test("Addresses that are no mailto: URI and an end not after the start are refused with errors an admin can read")
    func invalidInputIsRefused() {
        var invitation = Fixtures.winterMeeting(attendee: CalendarAddress(name: "Pia Kangas", email: "pia.kangas.example.fi"))
        #expect(throws: ICalendarError.self) { try invitation.render() }
        do {
            _ = try invitation.render()
        } catch {
            #expect(error.description.contains("pia.kangas.example.fi") && error.description.contains("has no @"))
        }
        invitation = Fixtures.winterMeeting(attendee: CalendarAddress(name: nil, email: "pia kangas@example.fi"))
        #expect(throws: ICalendarError.self) { try invitation.render() }
        invitation = Fixtures.winterMeeting(attendee: CalendarAddress(name: nil, email: "pia@esimerkki.fi>"))
        #expect(throws: ICalendarError.self) { try invitation.render() }

        invitation = Fixtures.winterMeeting()
        invitation.end = Fixtures.helsinkiTime(2027, 2, 10, 12)
        #expect(throws: ICalendarError.endNotAfterStart(start: invitation.start, end: invitation.end)) { try invitation.render() }
        invitation.end = invitation.start
        #expect(throws: ICalendarError.endNotAfterStart(start: invitation.start, end: invitation.end)) { try invitation.render() }

        invitation = Fixtures.winterMeeting()
        invitation.sequence = -1
        #expect(throws: ICalendarError.negativeSequence(-1)) { try invitation.render() }
        invitation = Fixtures.winterMeeting()
        invitation.uid = ""
        #expect(throws: ICalendarError.emptyValue(property: "UID")) { try invitation.render() }
    }

    @Test("A kept time zone definition gives the same calendar; one for another zone or other years is refused")
    func keptDefinition() throws {
        let invitation = Fixtures.winterMeeting()
        let definition = try TimeZoneDefinition(timeZone: Fixtures.helsinki, years: 2026...2028)
        let kept = try invitation.render(using: definition)
        #expect(kept.contains(definition.text))
        #expect(Fixtures.lines(of: "VEVENT", in: kept) == Fixtures.lines(of: "VEVENT", in: try invitation.render()))

        let tokyo = try TimeZoneDefinition(timeZone: TimeZone(identifier: "Asia/Tokyo")!, years: 2027...2027)
        #expect(throws: ICalendarError.timeZoneMismatch(invitation: "Europe/Helsinki", definition: "Asia/Tokyo")) {
            try invitation.render(using: tokyo)
        }
        let lastYear = try TimeZoneDefinition(timeZone: Fixtures.helsinki, years: 2026...2026)
        #expect(throws: ICalendarError.outsideTimeZoneDefinition(
            property: "DTSTART", date: invitation.start, timeZone: "Europe/Helsinki", years: 2026...2026)) {
            try invitation.render(using: lastYear)
        }
    }

    @Test("A meeting in the hour Helsinki repeats on 31 October 2027: the first pass is written as local time, the second in UTC")
    func repeatedHour() throws {
        var invitation = Fixtures.winterMeeting()
        // 03:30 local happens at 00:30 UTC (+03:00) and again at 01:30 UTC (+02:00).
        invitation.start = Fixtures.utc(2027, 10, 31, 0, 30)
        invitation.end = Fixtures.utc(2027, 10, 31, 1, 30)
        let event = Fixtures.lines(of: "VEVENT", in: try invitation.render())
        #expect(event.contains("DTSTART;TZID=Europe/Helsinki:20271031T033000"))
        #expect(event.contains("DTEND:20271031T013000Z"))
    }

    @Test("One kept definition serves many invitations, one per attendee, each naming only its own attendee")
    func manyInvitations() throws {
        let definition = try TimeZoneDefinition(timeZone: Fixtures.helsinki, years: 2027...2027)
        let base = Fixtures.winterMeeting()
        for index in 0..<300 {
            var invitation = base
            invitation.attendee = CalendarAddress(name: "Jäsen \(index)", email: "jasen\(index)@example.fi")
            let text = String(decoding: try invitation.renderBytes(using: definition), as: UTF8.self)
                .replacingOccurrences(of: "\r\n ", with: "")  // unfolded (RFC 5545 §3.1)
            let attendees = text.components(separatedBy: "\r\n").filter { $0.hasPrefix("ATTENDEE") }
            #expect(attendees.count == 1)
            #expect(text.contains("mailto:jasen\(index)@example.fi\r\n"))
            #expect(text.contains("BEGIN:VTIMEZONE\r\nTZID:Europe/Helsinki"))
        }
    }
}
