import Foundation
import Recurrence
import Testing

/// How RFC 5545 §3.3.10 rules are evaluated beyond the RFC's own examples: the parts it
/// describes in prose, the choices it leaves open, and that every search ends.
@Suite("RRULE evaluation (RFC 5545 §3.3.10)")
struct RecurrenceEvaluationTests {
    private func set(_ rule: String, from start: String, in zone: TimeZone = helsinki,
                     except exceptions: [RecurrenceException] = []) throws -> RecurrenceSet {
        RecurrenceSet(rule: try RecurrenceRule(parsing: rule), start: wallClock(start), timeZone: zone, exceptions: exceptions)
    }

    private func localDates(_ set: RecurrenceSet, limit: Int? = nil) -> [String] {
        (limit.map { Array(set.prefix($0)) } ?? Array(set)).map { $0.local.date.description }
    }

    @Test("BYMONTHDAY=31 skips the months without a 31st: invalid dates \"MUST be ignored and MUST NOT be counted\" (§3.3.10)")
    func thirtyFirstSkipsShortMonths() throws {
        let expected = ["2027-01-31", "2027-03-31", "2027-05-31", "2027-07-31", "2027-08-31", "2027-10-31", "2027-12-31"]
        #expect(localDates(try set("FREQ=MONTHLY;BYMONTHDAY=31;COUNT=7", from: "2027-01-31T18:00")) == expected)
        // Without BYMONTHDAY the day comes from DTSTART, with the same result.
        #expect(localDates(try set("FREQ=MONTHLY;COUNT=7", from: "2027-01-31T18:00")) == expected)
        // Counted from the end, every month has a last day.
        #expect(localDates(try set("FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=3", from: "2027-01-31T18:00"))
            == ["2027-01-31", "2027-02-28", "2027-03-31"])
        // 29 February, yearly: only in leap years.
        #expect(localDates(try set("FREQ=YEARLY;COUNT=3", from: "2028-02-29T12:00")) == ["2028-02-29", "2032-02-29", "2036-02-29"])
    }

    @Test("BYSETPOS=-1 with BYDAY=MO,TU,WE,TH,FR is the last weekday of each month (§3.3.10 BYSETPOS)")
    func lastWeekdayOfMonth() throws {
        let rule = "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;COUNT=12"
        #expect(localDates(try set(rule, from: "2027-01-29T14:00")) == [
            "2027-01-29", "2027-02-26", "2027-03-31", "2027-04-30", "2027-05-31", "2027-06-30",
            "2027-07-30", "2027-08-31", "2027-09-30", "2027-10-29", "2027-11-30", "2027-12-31",
        ])
    }

    @Test("WEEKLY with INTERVAL=2: WKST decides which days share a week, so SU and MO give different sets (§3.3.10 WKST)")
    func weekStartForWeekly() throws {
        let monday = try set("FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO", from: "19970805T090000", in: newYork)
        let sunday = try set("FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU", from: "19970805T090000", in: newYork)
        #expect(localDates(monday) == ["1997-08-05", "1997-08-10", "1997-08-19", "1997-08-24"])
        #expect(localDates(sunday) == ["1997-08-05", "1997-08-17", "1997-08-19", "1997-08-31"])
    }

    @Test("BYWEEKNO: week 1 holds 4 January and starts on WKST; late-December days of next year's week 1 and early-January days of last year's week 53 count (§3.3.10 BYWEEKNO)")
    func weekNumbersAtYearBoundaries() throws {
        // ISO week 1 of 2025 begins Monday 2024-12-30; 2026 has no Monday in week 1 of any year.
        #expect(localDates(try set("FREQ=YEARLY;BYWEEKNO=1;BYDAY=MO", from: "2024-01-01T10:00"), limit: 4)
            == ["2024-01-01", "2024-12-30", "2025-12-29", "2027-01-04"])
        // Week 53 exists only in years such as 2026 and 2032; its Friday in 2026 is 2027-01-01.
        #expect(localDates(try set("FREQ=YEARLY;BYWEEKNO=53;BYDAY=MO", from: "2024-01-01T10:00"), limit: 2)
            == ["2026-12-28", "2032-12-27"])
        #expect(localDates(try set("FREQ=YEARLY;BYWEEKNO=53;BYDAY=FR", from: "2026-01-01T10:00"), limit: 1) == ["2027-01-01"])
        // -1 is the last week of whichever year.
        #expect(localDates(try set("FREQ=YEARLY;BYWEEKNO=-1;BYDAY=MO", from: "2027-01-01T10:00"), limit: 2)
            == ["2027-12-27", "2028-12-25"])
        // With weeks starting on Sunday, week 1 of 2027 is 3-9 January, so its Sunday is the 3rd, not the 10th.
        #expect(localDates(try set("FREQ=YEARLY;BYWEEKNO=1;BYDAY=SU;WKST=SU", from: "2027-01-01T10:00"), limit: 1) == ["2027-01-03"])
        #expect(localDates(try set("FREQ=YEARLY;BYWEEKNO=1;BYDAY=SU;WKST=MO", from: "2027-01-01T10:00"), limit: 1) == ["2027-01-10"])
    }

    @Test("negative ordinals: -1FR is the last Friday of the month, and of the year without BYMONTH (§3.3.10 BYDAY)")
    func negativeOrdinals() throws {
        #expect(localDates(try set("FREQ=MONTHLY;BYDAY=-1FR;COUNT=3", from: "2027-01-01T12:00"))
            == ["2027-01-29", "2027-02-26", "2027-03-26"])
        #expect(localDates(try set("FREQ=YEARLY;BYDAY=-1FR;COUNT=2", from: "2027-01-01T12:00")) == ["2027-12-31", "2028-12-29"])
        #expect(localDates(try set("FREQ=YEARLY;BYMONTH=2;BYDAY=-1FR;COUNT=2", from: "2027-01-01T12:00"))
            == ["2027-02-26", "2028-02-25"])
        #expect(localDates(try set("FREQ=YEARLY;BYYEARDAY=-1;COUNT=2", from: "2027-01-01T12:00")) == ["2027-12-31", "2028-12-31"])
    }

    @Test("a BYDAY list mixing numbered and plain weekdays matches a day that any entry matches (§3.3.10 BYDAY is a list of weekdaynum)")
    func mixedByDay() throws {
        // The first Monday and every Friday of January 2027 (1 January is a Friday).
        #expect(localDates(try set("FREQ=MONTHLY;BYDAY=1MO,FR;COUNT=6", from: "2027-01-01T12:00"))
            == ["2027-01-01", "2027-01-04", "2027-01-08", "2027-01-15", "2027-01-22", "2027-01-29"])
    }

    @Test("a DTSTART that the rule does not generate is not an occurrence, and COUNT counts only what the rule generates (§3.8.5.3 leaves this undefined; python-dateutil and libical 3 agree)")
    func unsynchronizedStart() throws {
        // 2027-01-12 is a Tuesday, not a second Wednesday.
        let coffees = try set("FREQ=MONTHLY;BYDAY=2WE;COUNT=2", from: "2027-01-12T09:00")
        #expect(coffees.map(\.local) == [wallClock("2027-01-13T09:00"), wallClock("2027-02-10T09:00")])
        // A synchronized DTSTART is the first instance and is counted.
        let synchronized = try set("FREQ=MONTHLY;BYDAY=2WE;COUNT=2", from: "2027-01-13T09:00")
        #expect(synchronized.map(\.local) == [wallClock("2027-01-13T09:00"), wallClock("2027-02-10T09:00")])
    }

    @Test("instances of DTSTART's own period that fall before it are not in the set, nor counted (§3.8.5.3: DTSTART is the first instance)")
    func nothingBeforeStart() throws {
        // Mondays and Fridays; DTSTART is Wednesday, so that week gives only its Friday.
        #expect(localDates(try set("FREQ=WEEKLY;BYDAY=MO,FR;COUNT=3", from: "2027-01-13T09:00"))
            == ["2027-01-15", "2027-01-18", "2027-01-22"])
        // BYSETPOS picks from the whole week first: its first instance (Monday the 11th) is before DTSTART.
        #expect(localDates(try set("FREQ=WEEKLY;BYDAY=MO,FR;BYSETPOS=1;COUNT=2", from: "2027-01-13T09:00"))
            == ["2027-01-18", "2027-01-25"])
    }

    @Test("UNTIL is inclusive: a UTC bound equal to an instance keeps it; a floating bound is local time; a DATE bound keeps that whole local day (§3.3.10 UNTIL)")
    func untilForms() throws {
        // "Every day in January, for 3 years": UNTIL=20000131T140000Z is exactly 2000-01-31 09:00 EST.
        let january = try set("FREQ=DAILY;UNTIL=20000131T140000Z;BYMONTH=1", from: "19980101T090000", in: newYork)
        #expect(Array(january).last.map { isoText($0.date, in: newYork) } == "2000-01-31T09:00:00-05:00")
        let oneSecondLess = try set("FREQ=DAILY;UNTIL=20000131T135959Z;BYMONTH=1", from: "19980101T090000", in: newYork)
        #expect(Array(oneSecondLess).last.map { isoText($0.date, in: newYork) } == "2000-01-30T09:00:00-05:00")
        // "Every 3 hours from 9:00 AM to 5:00 PM": with 17:00 as local time, the RFC's three instances.
        let floating = try set("FREQ=HOURLY;INTERVAL=3;UNTIL=19970902T170000", from: "19970902T090000", in: newYork)
        #expect(floating.map { "\($0.local.hour)" } == ["9", "12", "15"])
        let dateOnly = try set("FREQ=DAILY;BYHOUR=9,21;UNTIL=20270103", from: "2027-01-01T09:00")
        #expect(Array(dateOnly).count == 6)
        #expect(Array(dateOnly).last?.local == wallClock("2027-01-03T21:00"))
    }

    @Test("a date exception removes every occurrence that local day; a date-time exception removes one (§3.8.5.1 EXDATE)")
    func exceptions() throws {
        let twiceDaily = try set(
            "FREQ=DAILY;BYHOUR=9,15;COUNT=6", from: "2027-06-01T09:00",
            except: [.date(calendarDate("2027-06-02")), .time(wallClock("2027-06-03T15:00"))])
        #expect(twiceDaily.map(\.local.description) == ["2027-06-01T09:00:00", "2027-06-01T15:00:00", "2027-06-03T09:00:00"])
        #expect(RecurrenceException.date(calendarDate("2027-06-02")).excludes(wallClock("2027-06-02T23:59")))
        #expect(!RecurrenceException.time(wallClock("2027-06-02T09:00")).excludes(wallClock("2027-06-02T09:01")))
    }

    @Test("next(after:) on an unbounded rule decades from DTSTART keeps INTERVAL's rhythm (\"Every other day - forever\")")
    func nextFarFromStart() throws {
        let everyOtherDay = try set("FREQ=DAILY;INTERVAL=2", from: "19970902T090000", in: newYork)
        // 10864 days, an even number, separate 1997-09-02 and 2027-06-01.
        #expect(everyOtherDay.next(after: instant("2027-06-01T08:00:00-04:00")).map { isoText($0.date, in: newYork) }
            == "2027-06-01T09:00:00-04:00")
        #expect(everyOtherDay.next(after: instant("2027-06-01T09:00:00-04:00")).map { isoText($0.date, in: newYork) }
            == "2027-06-03T09:00:00-04:00")
        // A rare pattern, 29 February on a Monday, is found 17 years ahead.
        let leapMonday = try set("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO", from: "2016-02-29T09:00")
        #expect(leapMonday.next(after: instant("2027-01-01T00:00:00+02:00"))?.local == wallClock("2044-02-29T09:00"))
        // Past the end of a bounded rule there is nothing next.
        let coffees = try set("FREQ=MONTHLY;BYDAY=2WE;COUNT=6", from: "2027-01-13T09:00")
        #expect(coffees.next(after: instant("2027-06-09T09:00:00+03:00")) == nil)
        #expect(coffees.next(after: instant("2027-06-09T08:59:00+03:00"))?.local == wallClock("2027-06-09T09:00"))
    }

    // A rule that never matches must end with nothing rather than search for ever. The time limit
    // is a hang guard, far above any run, not a measure of speed (that is the benchmarks' job).
    @Test("rules that can never produce an instance end with nothing, instead of searching for ever",
          .timeLimit(.minutes(1)), arguments: [
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
        "FREQ=MONTHLY;BYMONTH=4,6,9,11;BYMONTHDAY=31",
        "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",
        "FREQ=WEEKLY;BYDAY=MO;BYSETPOS=2",
        "FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30",
        "FREQ=MINUTELY;INTERVAL=2;BYMINUTE=1",
        "FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=31",
        "FREQ=MINUTELY;BYSECOND=60",
        "FREQ=YEARLY;BYWEEKNO=53;BYMONTH=6",
    ])
    func neverMatching(rule: String) throws {
        let never = try set(rule, from: "2027-01-01T00:00")
        #expect(Array(never).isEmpty)
        #expect(never.next(after: instant("2030-01-01T00:00:00+02:00")) == nil)
        #expect(never.occurrences(through: instant("2028-07-01T00:00:00+03:00")).isEmpty)
        let withCount = try set(rule + ";COUNT=3", from: "2027-01-01T00:00")
        #expect(Array(withCount).isEmpty)
    }

    // From 2000 to 2027 every minute is 14 million instances: the hang guard fails if the
    // evaluator walks them instead of starting at the window.
    @Test("an unbounded rule asked for one hour looks only at that hour", .timeLimit(.minutes(1)))
    func unboundedRangeIsBounded() throws {
        let everyMinute = try set("FREQ=MINUTELY", from: "2000-01-01T00:00")
        let hour = everyMinute.occurrences(
            from: instant("2027-05-01T10:00:00+03:00"), through: instant("2027-05-01T10:59:59+03:00"))
        #expect(hour.count == 60)
    }

    @Test("RFC 5545 §3.3.5's own readings of New York times: 01:30 on 2007-11-04 occurs twice and is EDT; 02:30 on 2007-03-11 does not occur and is 03:30 EDT")
    func localTimeReadings() {
        #expect(isoText(wallClock("20071104T013000").date(in: newYork), in: TimeZone(identifier: "UTC")!) == "2007-11-04T05:30:00Z")
        #expect(isoText(wallClock("20070311T023000").date(in: newYork), in: newYork) == "2007-03-11T03:30:00-04:00")
        #expect(WallClockTime(instant("2007-11-04T06:30:00Z"), in: newYork) == wallClock("20071104T013000"))
    }

    @Test("a wall-clock time or calendar date must exist on the calendar")
    func validation() {
        #expect(WallClockTime(year: 2027, month: 2, day: 29) == nil)
        #expect(WallClockTime(year: 2028, month: 2, day: 29, hour: 9) != nil)
        #expect(WallClockTime(year: 2027, month: 1, day: 13, hour: 24) == nil)
        #expect(WallClockTime(year: 2027, month: 1, day: 13, second: 60) == nil)
        #expect(CalendarDate(year: 2027, month: 4, day: 31) == nil)
        #expect(CalendarDate(year: 2027, month: 7, day: 14)?.weekday == .wednesday)
        #expect(wallClock("2027-01-13T09:00").description == "2027-01-13T09:00:00")
    }
}
