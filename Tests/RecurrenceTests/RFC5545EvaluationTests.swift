import Foundation
import Recurrence
import Testing

/// One example of RFC 5545 §3.8.5.3 ("Recurrence Rule", Examples) with the instances the RFC lists.
struct RFCExample: Sendable, CustomTestStringConvertible {
    let title: String
    /// DTSTART;TZID=America/New_York, as the RFC writes it.
    let start: String
    let rule: String
    /// EXDATE values (local), if the example has one.
    var exceptions: [String] = []
    /// The RFC's result, as instants with the New York offset of the day.
    let expected: [String]
    /// True when the RFC lists the whole set (COUNT or UNTIL); otherwise its first instances.
    let complete: Bool

    var testDescription: String { "\(title): \(rule)" }
}

private let every20MinutesFrom9To1640: [String] = [2, 3].flatMap { day in
    (9...16).flatMap { hour in
        [0, 20, 40].map { minute in
            "1997-09-0\(day)T\(hour < 10 ? "0" : "")\(hour):\(minute == 0 ? "00" : String(minute)):00-04:00"
        }
    }
}

/// Every example of RFC 5545 §3.8.5.3 that lists its instances, transcribed from the RFC.
let rfc5545EvaluatedExamples: [RFCExample] = [
    RFCExample(
        title: "Daily for 10 occurrences", start: "19970902T090000", rule: "FREQ=DAILY;COUNT=10",
        expected: edt(1997, 9, 2...11), complete: true),
    RFCExample(
        title: "Daily until December 24, 1997", start: "19970902T090000", rule: "FREQ=DAILY;UNTIL=19971224T000000Z",
        expected: edt(1997, 9, 2...30) + edt(1997, 10, 1...25) + est(1997, 10, 26...31) + est(1997, 11, 1...30)
            + est(1997, 12, 1...23),
        complete: true),
    RFCExample(
        title: "Every other day - forever", start: "19970902T090000", rule: "FREQ=DAILY;INTERVAL=2",
        expected: days(1997, 9, Array(stride(from: 2, through: 30, by: 2)), offset: "-04:00")
            + days(1997, 10, Array(stride(from: 2, through: 24, by: 2)), offset: "-04:00")
            + est(1997, 10, 26, 28, 30)
            + days(1997, 11, Array(stride(from: 1, through: 29, by: 2)), offset: "-05:00")
            + est(1997, 12, 1, 3),
        complete: false),
    RFCExample(
        title: "Every 10 days, 5 occurrences", start: "19970902T090000", rule: "FREQ=DAILY;INTERVAL=10;COUNT=5",
        expected: edt(1997, 9, 2, 12, 22) + edt(1997, 10, 2, 12), complete: true),
    RFCExample(
        title: "Every day in January, for 3 years (yearly)", start: "19980101T090000",
        rule: "FREQ=YEARLY;UNTIL=20000131T140000Z;BYMONTH=1;BYDAY=SU,MO,TU,WE,TH,FR,SA",
        expected: est(1998, 1, 1...31) + est(1999, 1, 1...31) + est(2000, 1, 1...31), complete: true),
    RFCExample(
        title: "Every day in January, for 3 years (daily)", start: "19980101T090000",
        rule: "FREQ=DAILY;UNTIL=20000131T140000Z;BYMONTH=1",
        expected: est(1998, 1, 1...31) + est(1999, 1, 1...31) + est(2000, 1, 1...31), complete: true),
    RFCExample(
        title: "Weekly for 10 occurrences", start: "19970902T090000", rule: "FREQ=WEEKLY;COUNT=10",
        expected: edt(1997, 9, 2, 9, 16, 23, 30) + edt(1997, 10, 7, 14, 21) + est(1997, 10, 28) + est(1997, 11, 4),
        complete: true),
    RFCExample(
        title: "Weekly until December 24, 1997", start: "19970902T090000", rule: "FREQ=WEEKLY;UNTIL=19971224T000000Z",
        expected: edt(1997, 9, 2, 9, 16, 23, 30) + edt(1997, 10, 7, 14, 21) + est(1997, 10, 28)
            + est(1997, 11, 4, 11, 18, 25) + est(1997, 12, 2, 9, 16, 23),
        complete: true),
    RFCExample(
        title: "Every other week - forever", start: "19970902T090000", rule: "FREQ=WEEKLY;INTERVAL=2;WKST=SU",
        expected: edt(1997, 9, 2, 16, 30) + edt(1997, 10, 14) + est(1997, 10, 28) + est(1997, 11, 11, 25)
            + est(1997, 12, 9, 23) + est(1998, 1, 6, 20) + est(1998, 2, 3, 17),
        complete: false),
    RFCExample(
        title: "Weekly on Tuesday and Thursday for five weeks (UNTIL)", start: "19970902T090000",
        rule: "FREQ=WEEKLY;UNTIL=19971007T000000Z;WKST=SU;BYDAY=TU,TH",
        expected: edt(1997, 9, 2, 4, 9, 11, 16, 18, 23, 25, 30) + edt(1997, 10, 2), complete: true),
    RFCExample(
        title: "Weekly on Tuesday and Thursday for five weeks (COUNT)", start: "19970902T090000",
        rule: "FREQ=WEEKLY;COUNT=10;WKST=SU;BYDAY=TU,TH",
        expected: edt(1997, 9, 2, 4, 9, 11, 16, 18, 23, 25, 30) + edt(1997, 10, 2), complete: true),
    RFCExample(
        title: "Every other week on Monday, Wednesday, and Friday until December 24, 1997",
        start: "19970901T090000", rule: "FREQ=WEEKLY;INTERVAL=2;UNTIL=19971224T000000Z;WKST=SU;BYDAY=MO,WE,FR",
        expected: edt(1997, 9, 1, 3, 5, 15, 17, 19, 29) + edt(1997, 10, 1, 3, 13, 15, 17) + est(1997, 10, 27, 29, 31)
            + est(1997, 11, 10, 12, 14, 24, 26, 28) + est(1997, 12, 8, 10, 12, 22),
        complete: true),
    RFCExample(
        title: "Every other week on Tuesday and Thursday, for 8 occurrences", start: "19970902T090000",
        rule: "FREQ=WEEKLY;INTERVAL=2;COUNT=8;WKST=SU;BYDAY=TU,TH",
        expected: edt(1997, 9, 2, 4, 16, 18, 30) + edt(1997, 10, 2, 14, 16), complete: true),
    RFCExample(
        title: "Monthly on the first Friday for 10 occurrences", start: "19970905T090000",
        rule: "FREQ=MONTHLY;COUNT=10;BYDAY=1FR",
        expected: edt(1997, 9, 5) + edt(1997, 10, 3) + est(1997, 11, 7) + est(1997, 12, 5) + est(1998, 1, 2)
            + est(1998, 2, 6) + est(1998, 3, 6) + est(1998, 4, 3) + edt(1998, 5, 1) + edt(1998, 6, 5),
        complete: true),
    RFCExample(
        title: "Monthly on the first Friday until December 24, 1997", start: "19970905T090000",
        rule: "FREQ=MONTHLY;UNTIL=19971224T000000Z;BYDAY=1FR",
        expected: edt(1997, 9, 5) + edt(1997, 10, 3) + est(1997, 11, 7) + est(1997, 12, 5), complete: true),
    RFCExample(
        title: "Every other month on the first and last Sunday of the month for 10 occurrences",
        start: "19970907T090000", rule: "FREQ=MONTHLY;INTERVAL=2;COUNT=10;BYDAY=1SU,-1SU",
        expected: edt(1997, 9, 7, 28) + est(1997, 11, 2, 30) + est(1998, 1, 4, 25) + est(1998, 3, 1, 29)
            + edt(1998, 5, 3, 31),
        complete: true),
    RFCExample(
        title: "Monthly on the second-to-last Monday of the month for 6 months", start: "19970922T090000",
        rule: "FREQ=MONTHLY;COUNT=6;BYDAY=-2MO",
        expected: edt(1997, 9, 22) + edt(1997, 10, 20) + est(1997, 11, 17) + est(1997, 12, 22) + est(1998, 1, 19)
            + est(1998, 2, 16),
        complete: true),
    RFCExample(
        title: "Monthly on the third-to-the-last day of the month, forever", start: "19970928T090000",
        rule: "FREQ=MONTHLY;BYMONTHDAY=-3",
        expected: edt(1997, 9, 28) + est(1997, 10, 29) + est(1997, 11, 28) + est(1997, 12, 29) + est(1998, 1, 29)
            + est(1998, 2, 26),
        complete: false),
    RFCExample(
        title: "Monthly on the 2nd and 15th of the month for 10 occurrences", start: "19970902T090000",
        rule: "FREQ=MONTHLY;COUNT=10;BYMONTHDAY=2,15",
        expected: edt(1997, 9, 2, 15) + edt(1997, 10, 2, 15) + est(1997, 11, 2, 15) + est(1997, 12, 2, 15)
            + est(1998, 1, 2, 15),
        complete: true),
    RFCExample(
        title: "Monthly on the first and last day of the month for 10 occurrences", start: "19970930T090000",
        rule: "FREQ=MONTHLY;COUNT=10;BYMONTHDAY=1,-1",
        expected: edt(1997, 9, 30) + edt(1997, 10, 1) + est(1997, 10, 31) + est(1997, 11, 1, 30) + est(1997, 12, 1, 31)
            + est(1998, 1, 1, 31) + est(1998, 2, 1),
        complete: true),
    RFCExample(
        title: "Every 18 months on the 10th thru 15th of the month for 10 occurrences", start: "19970910T090000",
        rule: "FREQ=MONTHLY;INTERVAL=18;COUNT=10;BYMONTHDAY=10,11,12,13,14,15",
        expected: edt(1997, 9, 10...15) + est(1999, 3, 10...13), complete: true),
    RFCExample(
        title: "Every Tuesday, every other month", start: "19970902T090000", rule: "FREQ=MONTHLY;INTERVAL=2;BYDAY=TU",
        expected: edt(1997, 9, 2, 9, 16, 23, 30) + est(1997, 11, 4, 11, 18, 25) + est(1998, 1, 6, 13, 20, 27)
            + est(1998, 3, 3, 10, 17, 24, 31),
        complete: false),
    RFCExample(
        title: "Yearly in June and July for 10 occurrences", start: "19970610T090000",
        rule: "FREQ=YEARLY;COUNT=10;BYMONTH=6,7",
        expected: (1997...2001).flatMap { edt($0, 6, 10) + edt($0, 7, 10) }, complete: true),
    RFCExample(
        title: "Every other year on January, February, and March for 10 occurrences", start: "19970310T090000",
        rule: "FREQ=YEARLY;INTERVAL=2;COUNT=10;BYMONTH=1,2,3",
        expected: est(1997, 3, 10) + [1999, 2001, 2003].flatMap { est($0, 1, 10) + est($0, 2, 10) + est($0, 3, 10) },
        complete: true),
    RFCExample(
        title: "Every third year on the 1st, 100th, and 200th day for 10 occurrences", start: "19970101T090000",
        rule: "FREQ=YEARLY;INTERVAL=3;COUNT=10;BYYEARDAY=1,100,200",
        expected: est(1997, 1, 1) + edt(1997, 4, 10) + edt(1997, 7, 19) + est(2000, 1, 1) + edt(2000, 4, 9)
            + edt(2000, 7, 18) + est(2003, 1, 1) + edt(2003, 4, 10) + edt(2003, 7, 19) + est(2006, 1, 1),
        complete: true),
    RFCExample(
        title: "Every 20th Monday of the year, forever", start: "19970519T090000", rule: "FREQ=YEARLY;BYDAY=20MO",
        expected: edt(1997, 5, 19) + edt(1998, 5, 18) + edt(1999, 5, 17), complete: false),
    RFCExample(
        title: "Monday of week number 20 (where the default start of the week is Monday), forever",
        start: "19970512T090000", rule: "FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO",
        expected: edt(1997, 5, 12) + edt(1998, 5, 11) + edt(1999, 5, 17), complete: false),
    RFCExample(
        title: "Every Thursday in March, forever", start: "19970313T090000", rule: "FREQ=YEARLY;BYMONTH=3;BYDAY=TH",
        expected: est(1997, 3, 13, 20, 27) + est(1998, 3, 5, 12, 19, 26) + est(1999, 3, 4, 11, 18, 25),
        complete: false),
    RFCExample(
        title: "Every Thursday, but only during June, July, and August, forever", start: "19970605T090000",
        rule: "FREQ=YEARLY;BYDAY=TH;BYMONTH=6,7,8",
        expected: edt(1997, 6, 5, 12, 19, 26) + edt(1997, 7, 3, 10, 17, 24, 31) + edt(1997, 8, 7, 14, 21, 28)
            + edt(1998, 6, 4, 11, 18, 25) + edt(1998, 7, 2, 9, 16, 23, 30) + edt(1998, 8, 6, 13, 20, 27)
            + edt(1999, 6, 3, 10, 17, 24) + edt(1999, 7, 1, 8, 15, 22, 29) + edt(1999, 8, 5, 12, 19, 26),
        complete: false),
    RFCExample(
        title: "Every Friday the 13th, forever", start: "19970902T090000", rule: "FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13",
        exceptions: ["19970902T090000"],
        expected: est(1998, 2, 13) + est(1998, 3, 13) + est(1998, 11, 13) + edt(1999, 8, 13) + edt(2000, 10, 13),
        complete: false),
    RFCExample(
        title: "The first Saturday that follows the first Sunday of the month, forever", start: "19970913T090000",
        rule: "FREQ=MONTHLY;BYDAY=SA;BYMONTHDAY=7,8,9,10,11,12,13",
        expected: edt(1997, 9, 13) + edt(1997, 10, 11) + est(1997, 11, 8) + est(1997, 12, 13) + est(1998, 1, 10)
            + est(1998, 2, 7) + est(1998, 3, 7) + edt(1998, 4, 11) + edt(1998, 5, 9) + edt(1998, 6, 13),
        complete: false),
    RFCExample(
        title: "Every 4 years, the first Tuesday after a Monday in November, forever (U.S. Presidential Election day)",
        start: "19961105T090000", rule: "FREQ=YEARLY;INTERVAL=4;BYMONTH=11;BYDAY=TU;BYMONTHDAY=2,3,4,5,6,7,8",
        expected: est(1996, 11, 5) + est(2000, 11, 7) + est(2004, 11, 2), complete: false),
    RFCExample(
        title: "The third instance into the month of one of Tuesday, Wednesday, or Thursday, for the next 3 months",
        start: "19970904T090000", rule: "FREQ=MONTHLY;COUNT=3;BYDAY=TU,WE,TH;BYSETPOS=3",
        expected: edt(1997, 9, 4) + edt(1997, 10, 7) + est(1997, 11, 6), complete: true),
    RFCExample(
        title: "The second-to-last weekday of the month", start: "19970929T090000",
        rule: "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2",
        expected: edt(1997, 9, 29) + est(1997, 10, 30) + est(1997, 11, 27) + est(1997, 12, 30) + est(1998, 1, 29)
            + est(1998, 2, 26) + est(1998, 3, 30),
        complete: false),
    // The RFC also lists 15:00 here, but 15:00 EDT is 19:00Z, after UNTIL=19970902T170000Z (13:00 EDT);
    // UNTIL is inclusive, not generous. See `RecurrenceEvaluationTests.untilForms` for the floating form
    // that gives the RFC's three instances.
    RFCExample(
        title: "Every 3 hours from 9:00 AM to 5:00 PM on a specific day (UTC bound, read strictly)",
        start: "19970902T090000", rule: "FREQ=HOURLY;INTERVAL=3;UNTIL=19970902T170000Z",
        expected: edt(1997, 9, 2, at: "09:00") + edt(1997, 9, 2, at: "12:00"), complete: true),
    RFCExample(
        title: "Every 15 minutes for 6 occurrences", start: "19970902T090000", rule: "FREQ=MINUTELY;INTERVAL=15;COUNT=6",
        expected: ["09:00", "09:15", "09:30", "09:45", "10:00", "10:15"].flatMap { edt(1997, 9, 2, at: $0) },
        complete: true),
    RFCExample(
        title: "Every hour and a half for 4 occurrences", start: "19970902T090000", rule: "FREQ=MINUTELY;INTERVAL=90;COUNT=4",
        expected: ["09:00", "10:30", "12:00", "13:30"].flatMap { edt(1997, 9, 2, at: $0) }, complete: true),
    RFCExample(
        title: "Every 20 minutes from 9:00 AM to 4:40 PM every day (daily)", start: "19970902T090000",
        rule: "FREQ=DAILY;BYHOUR=9,10,11,12,13,14,15,16;BYMINUTE=0,20,40",
        expected: every20MinutesFrom9To1640, complete: false),
    RFCExample(
        title: "Every 20 minutes from 9:00 AM to 4:40 PM every day (minutely)", start: "19970902T090000",
        rule: "FREQ=MINUTELY;INTERVAL=20;BYHOUR=9,10,11,12,13,14,15,16",
        expected: every20MinutesFrom9To1640, complete: false),
    RFCExample(
        title: "An example where the days generated makes a difference because of WKST (WKST=MO)",
        start: "19970805T090000", rule: "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO",
        expected: edt(1997, 8, 5, 10, 19, 24), complete: true),
    RFCExample(
        title: "An example where the days generated makes a difference because of WKST (WKST=SU)",
        start: "19970805T090000", rule: "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU",
        expected: edt(1997, 8, 5, 17, 19, 31), complete: true),
    RFCExample(
        title: "An example where an invalid date (i.e., February 30) is ignored", start: "20070115T090000",
        rule: "FREQ=MONTHLY;BYMONTHDAY=15,30;COUNT=5",
        expected: est(2007, 1, 15, 30) + est(2007, 2, 15) + edt(2007, 3, 15, 30), complete: true),
]

@Suite("RFC 5545 §3.8.5.3 examples, evaluated")
struct RFC5545EvaluationTests {
    private func set(_ example: RFCExample) throws -> RecurrenceSet {
        RecurrenceSet(
            rule: try RecurrenceRule(parsing: example.rule), start: wallClock(example.start), timeZone: newYork,
            exceptions: example.exceptions.map { .time(wallClock($0)) })
    }

    @Test("each example of §3.8.5.3 gives the instances the RFC lists, in America/New_York",
          arguments: rfc5545EvaluatedExamples)
    func listedInstances(example: RFCExample) throws {
        let set = try set(example)
        #expect(isoTexts(set, limit: example.complete ? nil : example.expected.count) == example.expected)
    }

    @Test("asking for a time range gives the same instances as walking the set (§3.8.5.3 examples)",
          arguments: rfc5545EvaluatedExamples)
    func rangeMatchesWalk(example: RFCExample) throws {
        let set = try set(example)
        let last = instant(example.expected.last!)
        let inRange = set.occurrences(through: last).map { isoText($0.date, in: newYork) }
        #expect(inRange == example.expected)
        // And from the middle on: a range that starts after DTSTART skips the earlier periods.
        let middle = instant(example.expected[example.expected.count / 2])
        #expect(set.occurrences(from: middle, through: last).map { isoText($0.date, in: newYork) }
            == Array(example.expected[(example.expected.count / 2)...]))
    }

    @Test("each local time is the RFC's 9:00 (or listed time) on the wall clock, whatever the offset")
    func wallClockStaysPut() throws {
        let set = try set(rfc5545EvaluatedExamples[1])  // daily until December 24, across the October change
        let hours = Set(set.map { "\($0.local.hour):\($0.local.minute)" })
        #expect(hours == ["9:0"])
        #expect(set.map(\.local.date).count == 113)
    }
}
