import Foundation
import TestSupport
import Testing
@testable import TiedotinCore

/// A 9:00 meeting is at 9:00 in Helsinki all year, whatever zone the machine runs in (the test
/// machines run in UTC): on both sides of the March and October changes and on the change days.
@Suite struct DaylightSavingTests {
    static let forum = """
            duration: 1h
            invite_lead: 14d
            reminder_lead: 1d
            recurrence:
              rule: FREQ=MONTHLY;BYDAY=1WE;BYHOUR=9;BYMINUTE=0
              start: 2027-01-06T09:00
            meetings:
              - id: jyry-kevat
                start: 2027-03-28T09:00
              - id: jyry-syksy
                start: 2027-10-31T09:00
        """

    static func utc(_ text: String) -> Date {
        try! Date(text, strategy: .iso8601)
    }

    @Test(arguments: [
        // (pass at, meeting id, DTSTART as icalendar reads it, the same instant in UTC, subject's time)
        ("2027-02-20T12:00", "jyry-20270303", "2027-03-03T09:00:00+02:00", "2027-03-03T07:00:00Z", "ke 3.3.2027 klo 9–10"),
        ("2027-03-20T12:00", "jyry-kevat", "2027-03-28T09:00:00+03:00", "2027-03-28T06:00:00Z", "su 28.3.2027 klo 9–10"),
        ("2027-03-25T12:00", "jyry-20270407", "2027-04-07T09:00:00+03:00", "2027-04-07T06:00:00Z", "ke 7.4.2027 klo 9–10"),
        ("2027-09-25T12:00", "jyry-20271006", "2027-10-06T09:00:00+03:00", "2027-10-06T06:00:00Z", "ke 6.10.2027 klo 9–10"),
        ("2027-10-20T12:00", "jyry-syksy", "2027-10-31T09:00:00+02:00", "2027-10-31T07:00:00Z", "su 31.10.2027 klo 9–10"),
        ("2027-10-25T12:00", "jyry-20271103", "2027-11-03T09:00:00+02:00", "2027-11-03T07:00:00Z", "ke 3.11.2027 klo 9–10"),
    ])
    func nineOClockStaysNine(_ pass: String, _ id: String, _ dtstart: String, _ utc: String, _ when: String) throws {
        let fixture = try MeetingsFixture(forum: Self.forum, now: pass, members: [MeetingsFixture.people[0]])
        try fixture.pass()
        let stored = try #require(try fixture.meetings.meeting(id))
        #expect(stored.details.start == Self.utc(utc))
        let queued = try fixture.queued()
        let message = try MeetingMessage(try #require(queued.first { $0.subject.hasSuffix(when) }).message)
        #expect(message.event.uid == "\(id)@pohde.example.fi")
        #expect(message.event.dtstart == dtstart)
        #expect(message.event.dtstartByVTimezone == dtstart, "the calendar's own VTIMEZONE agrees")
        #expect(message.event.tzid == "Europe/Helsinki")
    }

    @Test func aReminderComesAFullLeadBeforeTheMeetingAcrossTheChange() throws {
        // reminder_lead 1d before Sunday 28 March 09:00 EEST is 24 hours earlier: Saturday 08:00 EET.
        let fixture = try MeetingsFixture(forum: Self.forum, now: "2027-03-20T12:00", members: [MeetingsFixture.people[0]])
        try fixture.pass()
        fixture.set("2027-03-27T07:59")
        #expect(try fixture.pass().queued[.reminder] == nil)
        fixture.set("2027-03-27T08:00")
        #expect(try fixture.pass().queued[.reminder] == 1)
    }
}
