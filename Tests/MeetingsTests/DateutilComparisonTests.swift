import Foundation
import Recurrence
import TestSupport
import Testing

/// The `Recurrence` target's expansion against python-dateutil's over a broad set of rules (RFC 5545
/// §3.3.10, §3.8.5.3): BYSETPOS, negative BYMONTHDAY and BYDAY, WKST, BYWEEKNO, BYYEARDAY, UNTIL,
/// several BYHOUR/BYMINUTE, leap days. Both expand on the wall clock from a floating DTSTART.
///
/// Left out on purpose: the two readings the `RecurrenceSet` documentation names where this
/// project follows RFC 5545 and dateutil does not (a BYDAY list mixing numbered and plain days,
/// BYSETPOS in DTSTART's own week); those have their own RFC-cited tests in RecurrenceTests.
@Suite struct DateutilComparisonTests {
    struct Case: Encodable {
        var rule: String
        var start: String
        var limit: Int
    }

    static let rules: [(rule: String, start: String)] = [
        ("FREQ=DAILY;COUNT=10", "2027-01-13T09:00:00"),
        ("FREQ=DAILY;INTERVAL=3;COUNT=12", "2027-03-20T09:00:00"),
        ("FREQ=DAILY;BYMONTH=1;COUNT=40", "2027-01-13T09:00:00"),
        ("FREQ=DAILY;BYHOUR=9;BYMINUTE=0;UNTIL=20270401T000000", "2027-03-15T08:00:00"),
        ("FREQ=WEEKLY;BYDAY=MO,WE,FR;COUNT=15", "2027-01-13T09:00:00"),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;WKST=SU;COUNT=12", "2027-01-12T13:00:00"),
        ("FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO", "1997-08-05T09:00:00"),
        ("FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU", "1997-08-05T09:00:00"),
        ("FREQ=WEEKLY;INTERVAL=3;BYDAY=SA,SU,MO;WKST=TH;COUNT=15", "2027-01-14T10:00:00"),
        ("FREQ=WEEKLY;UNTIL=20270331T235959;BYDAY=WE", "2027-01-13T09:00:00"),
        ("FREQ=MONTHLY;BYDAY=2WE;COUNT=12", "2027-01-13T09:00:00"),
        ("FREQ=MONTHLY;BYDAY=-1FR;COUNT=12", "2027-01-01T12:00:00"),
        ("FREQ=MONTHLY;BYDAY=-2MO;COUNT=8", "2027-01-01T12:00:00"),
        ("FREQ=MONTHLY;INTERVAL=2;BYDAY=1SU,-1SU;COUNT=10", "2027-01-03T11:00:00"),
        ("FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=14", "2027-01-31T16:00:00"),
        ("FREQ=MONTHLY;BYMONTHDAY=-3,15;COUNT=12", "2027-01-01T09:00:00"),
        ("FREQ=MONTHLY;BYMONTHDAY=31;COUNT=8", "2027-01-31T09:00:00"),
        ("FREQ=MONTHLY;BYMONTHDAY=1,-1;BYSETPOS=2;COUNT=6", "2027-01-01T09:00:00"),
        ("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;COUNT=12", "2027-01-01T09:00:00"),
        ("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=1,-1;COUNT=12", "2027-01-01T09:00:00"),
        ("FREQ=MONTHLY;BYDAY=TU,WE,TH;BYSETPOS=3;COUNT=6", "2027-01-01T09:00:00"),
        ("FREQ=MONTHLY;BYDAY=SA,SU;BYSETPOS=-2;COUNT=6", "2027-01-01T10:00:00"),
        ("FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13;COUNT=5", "2027-01-01T18:00:00"),
        ("FREQ=MONTHLY;BYDAY=2WE;BYHOUR=9,13;BYMINUTE=0,30;COUNT=12", "2027-01-13T09:00:00"),
        ("FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=29;COUNT=3", "2027-01-01T09:00:00"),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1;COUNT=6", "2027-01-01T09:00:00"),
        ("FREQ=YEARLY;BYMONTH=1,2,3;BYDAY=TU;COUNT=12", "2027-01-01T09:00:00"),
        ("FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO;COUNT=5", "2027-01-01T09:00:00"),
        ("FREQ=YEARLY;BYWEEKNO=1;BYDAY=MO;WKST=SU;COUNT=5", "2027-01-01T09:00:00"),
        ("FREQ=YEARLY;BYWEEKNO=-1;BYDAY=TH;COUNT=5", "2027-01-01T09:00:00"),
        ("FREQ=YEARLY;BYYEARDAY=1,100,200,-1;COUNT=12", "2027-01-01T09:00:00"),
        ("FREQ=YEARLY;BYYEARDAY=-306;COUNT=4", "2027-01-01T09:00:00"),
        ("FREQ=YEARLY;BYMONTH=11;BYDAY=TU;BYMONTHDAY=2,3,4,5,6,7,8;COUNT=5", "2027-01-01T09:00:00"),
        ("FREQ=YEARLY;BYDAY=20MO;COUNT=5", "2027-01-01T09:00:00"),
        ("FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3,10;BYHOUR=3;COUNT=6", "2027-01-01T09:00:00"),
        ("FREQ=YEARLY;BYMONTH=6;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-3;COUNT=4", "2027-01-01T09:00:00"),
        ("FREQ=YEARLY;INTERVAL=2;BYMONTH=1;BYDAY=SU;BYHOUR=8,9;BYMINUTE=30;COUNT=15", "2027-01-04T08:30:00"),
    ]

    @Test func everyRuleGivesWhatDateutilGives() throws {
        let limit = 40
        let cases = Self.rules.map { Case(rule: $0.rule, start: $0.start, limit: limit) }
        let expected: [[String]] = try PythonScript.run(
            "Tests/MeetingsTests/compare_rrule.py", on: Array(try JSONEncoder().encode(cases)), inputName: "cases.json")
        let helsinki = try #require(TimeZone(identifier: "Europe/Helsinki"))
        for (index, item) in Self.rules.enumerated() {
            let rule = try RecurrenceRule(parsing: item.rule)
            let start = try #require(Self.wallClock(item.start))
            let ours = RecurrenceSet(rule: rule, start: start, timeZone: helsinki).prefix(limit).map(\.local.description)
            #expect(ours == expected[index], "\(item.rule) from \(item.start)")
            #expect(!ours.isEmpty, "\(item.rule) gives occurrences")
        }
    }

    static func wallClock(_ text: String) -> WallClockTime? {
        let numbers = text.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        guard numbers.count == 6 else { return nil }
        return WallClockTime(year: numbers[0], month: numbers[1], day: numbers[2], hour: numbers[3], minute: numbers[4], second: numbers[5])
    }
}
