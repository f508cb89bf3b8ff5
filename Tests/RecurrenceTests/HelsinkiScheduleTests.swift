import Foundation
import Recurrence
import Testing

/// The schedules of the example config, evaluated in Europe/Helsinki as the service does:
/// the newsletter's `FREQ=MONTHLY;BYDAY=1TU;BYHOUR=9;BYMINUTE=0` from its 2000-01-01T00:00 anchor,
/// and Järjestöyhteistyöryhmä JYRY's morning coffees, `FREQ=MONTHLY;BYDAY=2WE;COUNT=6`.
@Suite("Schedules in Europe/Helsinki")
struct HelsinkiScheduleTests {
    /// The newsletter schedule, with the DTSTART DESIGN.md gives it.
    private let newsletter = RecurrenceSet(
        rule: RecurrenceRule(
            frequency: .monthly, byMinute: [0], byHour: [9], byDay: [WeekdayNumber(.tuesday, ordinal: 1)]),
        start: wallClock("2000-01-01T00:00"), timeZone: helsinki)

    private func morningCoffees(except exceptions: [RecurrenceException] = []) throws -> RecurrenceSet {
        RecurrenceSet(
            rule: try RecurrenceRule(parsing: "FREQ=MONTHLY;BYDAY=2WE;COUNT=6"), start: wallClock("2027-01-13T09:00"),
            timeZone: helsinki, exceptions: exceptions)
    }

    @Test("the newsletter goes out at 09:00 Helsinki time on the first Tuesday of every month of 2027, +02:00 in winter and +03:00 in summer (RFC 5545 §3.3.10 evaluated in local time)")
    func newsletter2027() {
        let year = newsletter.occurrences(from: instant("2027-01-01T00:00:00+02:00"), through: instant("2027-12-31T23:59:59+02:00"))
        #expect(year.map { isoText($0.date, in: helsinki) } == [
            "2027-01-05T09:00:00+02:00", "2027-02-02T09:00:00+02:00", "2027-03-02T09:00:00+02:00",
            "2027-04-06T09:00:00+03:00", "2027-05-04T09:00:00+03:00", "2027-06-01T09:00:00+03:00",
            "2027-07-06T09:00:00+03:00", "2027-08-03T09:00:00+03:00", "2027-09-07T09:00:00+03:00",
            "2027-10-05T09:00:00+03:00", "2027-11-02T09:00:00+02:00", "2027-12-07T09:00:00+02:00",
        ])
        #expect(year.allSatisfy { $0.local.hour == 9 && $0.local.minute == 0 && $0.local.date.weekday == .tuesday })
    }

    @Test("across the March and October clock changes the send time stays 09:00 local: 07:00 UTC, then 06:00, then 07:00")
    func newsletterAcrossClockChanges() {
        let utc = TimeZone(identifier: "UTC")!
        let march = newsletter.next(after: instant("2027-02-15T00:00:00+02:00"))!
        let april = newsletter.next(after: march.date)!
        let november = newsletter.next(after: instant("2027-10-15T00:00:00+03:00"))!
        #expect(isoText(march.date, in: utc) == "2027-03-02T07:00:00Z")
        #expect(isoText(april.date, in: utc) == "2027-04-06T06:00:00Z")
        #expect(isoText(november.date, in: utc) == "2027-11-02T07:00:00Z")
        #expect([march, april, november].map(\.local.description)
            == ["2027-03-02T09:00:00", "2027-04-06T09:00:00", "2027-11-02T09:00:00"])
    }

    @Test("the newsletter's DTSTART 2000-01-01T00:00 is an anchor, not an edition: the first is Tuesday 2000-01-04 09:00 (RFC 5545 §3.8.5.3: a DTSTART not synchronized with the rule is not an instance here, as in python-dateutil)")
    func newsletterAnchorIsNotAnEdition() {
        #expect(Array(newsletter.prefix(1)).first.map { isoText($0.date, in: helsinki) } == "2000-01-04T09:00:00+02:00")
        #expect(newsletter.next(after: instant("1999-12-31T23:00:00+02:00"))?.local == wallClock("2000-01-04T09:00"))
    }

    @Test("next(after:) on the unbounded newsletter rule: strictly after, at the edition itself and a minute before it")
    func newsletterNext() {
        let edition = instant("2027-03-02T09:00:00+02:00")
        #expect(newsletter.next(after: edition).map { isoText($0.date, in: helsinki) } == "2027-04-06T09:00:00+03:00")
        #expect(newsletter.next(after: edition.addingTimeInterval(-60))?.date == edition)
        // Far ahead, found without walking from 2000.
        #expect(newsletter.next(after: instant("2099-12-31T12:00:00+02:00")).map { isoText($0.date, in: helsinki) }
            == "2100-01-05T09:00:00+02:00")
    }

    @Test("JYRY's morning coffees: six second Wednesdays at 09:00 from 2027-01-13; the example's except 2027-07-14 falls after the sixth and removes nothing")
    func morningCoffeesAsConfigured() throws {
        let coffees = try morningCoffees(except: [.date(calendarDate("2027-07-14"))])
        #expect(isoTexts(coffees) == [
            "2027-01-13T09:00:00+02:00", "2027-02-10T09:00:00+02:00", "2027-03-10T09:00:00+02:00",
            "2027-04-14T09:00:00+03:00", "2027-05-12T09:00:00+03:00", "2027-06-09T09:00:00+03:00",
        ])
        #expect(coffees.map { $0.local.date.description }
            == ["2027-01-13", "2027-02-10", "2027-03-10", "2027-04-14", "2027-05-12", "2027-06-09"])
    }

    @Test("an exception inside the six leaves five: COUNT is not extended (RFC 5545 §3.8.5.1, EXDATE after RRULE)")
    func exceptionDoesNotExtendCount() throws {
        let coffees = try morningCoffees(except: [.date(calendarDate("2027-04-14"))])
        #expect(coffees.map { $0.local.date.description } == ["2027-01-13", "2027-02-10", "2027-03-10", "2027-05-12", "2027-06-09"])
    }

    @Test("a date-time exception removes that occurrence only when the time matches too")
    func dateTimeException() throws {
        let exact = try morningCoffees(except: [.time(wallClock("2027-05-12T09:00"))])
        #expect(!exact.contains { $0.local.date == calendarDate("2027-05-12") })
        #expect(Array(exact).count == 5)
        let otherTime = try morningCoffees(except: [.time(wallClock("2027-05-12T10:00"))])
        #expect(Array(otherTime).count == 6)
    }

    @Test("18 months ahead of an unbounded monthly meeting: one each month, Jan 2027 to Jun 2028, all at 09:00 local")
    func eighteenMonthsAhead() throws {
        let meetings = RecurrenceSet(
            rule: try RecurrenceRule(parsing: "FREQ=MONTHLY;BYDAY=2WE"), start: wallClock("2027-01-13T09:00"), timeZone: helsinki)
        let planned = meetings.occurrences(from: instant("2027-01-01T00:00:00+02:00"), through: instant("2028-07-01T00:00:00+03:00"))
        #expect(planned.count == 18)
        #expect(planned.first?.local == wallClock("2027-01-13T09:00"))
        #expect(planned.last?.local == wallClock("2028-06-14T09:00"))
        #expect(planned.allSatisfy { $0.local.hour == 9 && $0.local.date.weekday == .wednesday && (8...14).contains($0.local.day) })
    }

    @Test("a local time in the hour skipped on the last Sunday of March moves forward by the gap: 03:30 is read with the offset before it, +02:00, and is 04:30 EEST (RFC 5545 §3.3.5)")
    func springForwardGap() throws {
        let daily = RecurrenceSet(
            rule: try RecurrenceRule(parsing: "FREQ=DAILY;COUNT=3"), start: wallClock("2027-03-27T03:30"), timeZone: helsinki)
        #expect(isoTexts(daily) == ["2027-03-27T03:30:00+02:00", "2027-03-28T04:30:00+03:00", "2027-03-29T03:30:00+03:00"])
        // The occurrence keeps its name: the rule's 03:30 on the 28th (what an exception would match).
        #expect(daily.map(\.local.description)
            == ["2027-03-27T03:30:00", "2027-03-28T03:30:00", "2027-03-29T03:30:00"])
    }

    @Test("a local time in the hour repeated on the last Sunday of October is the first of the two, still EEST (RFC 5545 §3.3.5)")
    func fallBackFold() throws {
        let daily = RecurrenceSet(
            rule: try RecurrenceRule(parsing: "FREQ=DAILY;COUNT=3"), start: wallClock("2027-10-30T03:30"), timeZone: helsinki)
        #expect(isoTexts(daily) == ["2027-10-30T03:30:00+03:00", "2027-10-31T03:30:00+03:00", "2027-11-01T03:30:00+02:00"])
    }

    @Test("hourly through the skipped hour: 03:00 becomes 04:00 EEST, the same instant as the rule's 04:00, which the set holds once (RFC 5545 §3.8.5.3: duplicate instances are ignored)")
    func hourlyThroughTheGap() throws {
        let hourly = RecurrenceSet(
            rule: try RecurrenceRule(parsing: "FREQ=HOURLY;COUNT=5"), start: wallClock("2027-03-28T01:00"), timeZone: helsinki)
        #expect(isoTexts(hourly) == [
            "2027-03-28T01:00:00+02:00", "2027-03-28T02:00:00+02:00", "2027-03-28T04:00:00+03:00", "2027-03-28T05:00:00+03:00",
        ])
        let range = hourly.occurrences(through: instant("2027-03-28T23:00:00+03:00"))
        #expect(range.map { isoText($0.date, in: helsinki) } == isoTexts(hourly))
    }
}
