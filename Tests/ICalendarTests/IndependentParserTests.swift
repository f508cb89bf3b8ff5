import Foundation
import ICalendar
import TestSupport
import Testing

/// The written calendars as the Python `icalendar` package (RFC 5545) reads them.
@Suite struct IndependentParserTests {
    @Test("A winter REQUEST: every value reads back, and 13:00 Helsinki resolves to 2027-02-10T13:00:00+02:00")
    func winterRequest() throws {
        let invitation = Fixtures.winterMeeting()
        let parsed = try CalendarParser.parse(try invitation.render())
        #expect(parsed.errors == [])
        #expect(parsed.method == "REQUEST")
        #expect(parsed.prodid == Fixtures.productID)
        #expect(parsed.version == "2.0")
        #expect(parsed.calscale == "GREGORIAN")
        let event = try #require(parsed.events.first)
        #expect(parsed.events.count == 1)
        #expect(event.uid == "jyry-2027-02-10@pohde.example.fi")
        #expect(event.sequence == 0)
        #expect(event.dtstamp == "2027-01-15T08:30:12+00:00")
        #expect(event.tzid == "Europe/Helsinki")
        #expect(event.dtstart == "2027-02-10T13:00:00+02:00")
        #expect(event.dtend == "2027-02-10T15:00:00+02:00")
        #expect(event.dtstartByVTimezone == "2027-02-10T13:00:00+02:00")
        #expect(event.dtendByVTimezone == "2027-02-10T15:00:00+02:00")
        #expect(event.summary == "Järjestöyhteistyöryhmä JYRY: kokous 1/2027")
        #expect(event.location == "Pohjankartano, kokoushuone Kaarna, Oulu")
        #expect(event.description == Fixtures.agenda + "\n\nhttps://pohde.example.fi/jarjestot/jyry")
        #expect(event.url == "https://pohde.example.fi/jarjestot/jyry")
        #expect(event.status == "CONFIRMED")
        #expect(event.organizer == .init(address: "mailto:jarjestotyo@pohde.example.fi", cn: "Järjestötyön koordinaattori"))
        #expect(event.attendees == [
            .init(address: "mailto:pia.kangas@example.fi", cn: "Pia Kangas", role: "REQ-PARTICIPANT", partstat: "NEEDS-ACTION", rsvp: "TRUE")
        ])
        #expect(event.alarms == 0)

        let zone = try #require(parsed.timezones.first)
        #expect(parsed.timezones.count == 1)
        #expect(zone.tzid == "Europe/Helsinki")
        #expect(Set(zone.components.map(\.kind)) == ["DAYLIGHT", "STANDARD"])
        #expect(zone.components.contains(.init(
            kind: "STANDARD", dtstart: "20261025T040000", tzoffsetfrom: "+0300", tzoffsetto: "+0200", tzname: "EET",
            rrule: "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10", rdates: [])))
        #expect(zone.components.contains(.init(
            kind: "DAYLIGHT", dtstart: "20260329T030000", tzoffsetfrom: "+0200", tzoffsetto: "+0300", tzname: "EEST",
            rrule: "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3", rdates: [])))
    }

    @Test("A summer REQUEST: 13:00 Helsinki on 2027-06-09 resolves to +03:00, by the tz database and by the VTIMEZONE alone")
    func summerRequest() throws {
        let event = try #require(try CalendarParser.parse(try Fixtures.summerMeeting().render()).events.first)
        #expect(event.dtstart == "2027-06-09T13:00:00+03:00")
        #expect(event.dtend == "2027-06-09T15:00:00+03:00")
        #expect(event.dtstartByVTimezone == "2027-06-09T13:00:00+03:00")
        #expect(event.dtendByVTimezone == "2027-06-09T15:00:00+03:00")
    }

    @Test("A CANCEL: same UID, higher SEQUENCE, STATUS:CANCELLED, the attendee with a quoted name")
    func cancel() throws {
        let request = Fixtures.winterMeeting(attendee: Fixtures.asa)
        let parsed = try CalendarParser.parse(try request.cancellation(stamp: Fixtures.utc(2027, 2, 1, 9, 15)).render())
        #expect(parsed.errors == [])
        #expect(parsed.method == "CANCEL")
        let event = try #require(parsed.events.first)
        #expect(event.uid == request.uid)
        #expect(event.sequence == 1)
        #expect(event.status == "CANCELLED")
        #expect(event.dtstamp == "2027-02-01T09:15:00+00:00")
        #expect(event.dtstart == "2027-02-10T13:00:00+02:00")
        #expect(event.attendees == [.init(address: "mailto:asa.lindqvist@example.fi", cn: "Lindqvist, Åsa", role: "REQ-PARTICIPANT")])
        #expect(event.alarms == 0)
    }

    @Test("Escaped and folded text reads back exactly: semicolons, commas, backslashes, line breaks, emoji")
    func textRoundTrip() throws {
        var invitation = Fixtures.winterMeeting()
        invitation.summary = #"JYRY; järjestöt, seurakunnat \ Pohde — kevät 2027 🎉"#
        invitation.description = "Rivi 1\r\nRivi 2; ääöö, åå\n\n" + String(repeating: "Öljyä ja äyriäisiä — 🎉 ", count: 12)
        invitation.location = #"Oulu, Pohjankartano: sali "Kaarna""#
        let event = try #require(try CalendarParser.parse(try invitation.render()).events.first)
        #expect(event.summary == invitation.summary)
        #expect(event.description == invitation.description!.replacingOccurrences(of: "\r\n", with: "\n") + "\n\nhttps://pohde.example.fi/jarjestot/jyry")
        #expect(event.location == invitation.location)
    }

    @Test("The repeated hour: the local first pass and the UTC second pass resolve to the instants meant")
    func repeatedHour() throws {
        var invitation = Fixtures.winterMeeting()
        invitation.start = Fixtures.utc(2027, 10, 31, 0, 30)
        invitation.end = Fixtures.utc(2027, 10, 31, 1, 30)
        let event = try #require(try CalendarParser.parse(try invitation.render()).events.first)
        #expect(event.dtstart == "2027-10-31T03:30:00+03:00")
        #expect(event.dtend == "2027-10-31T01:30:00+00:00")
    }
}
