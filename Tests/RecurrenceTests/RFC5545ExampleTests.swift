import Recurrence
import Testing

/// The RRULE values of the examples in RFC 5545 §3.8.5.3 ("Recurrence Rule", Examples), each as
/// the RFC prints it. All of them are valid syntax, so all must parse and survive a round trip.
private let rfc5545Examples: [String] = [
    "FREQ=DAILY;COUNT=10",                                        // Daily for 10 occurrences
    "FREQ=DAILY;UNTIL=19971224T000000Z",                          // Daily until December 24, 1997
    "FREQ=DAILY;INTERVAL=2",                                      // Every other day - forever
    "FREQ=DAILY;INTERVAL=10;COUNT=5",                             // Every 10 days, 5 occurrences
    "FREQ=YEARLY;UNTIL=20000131T140000Z;BYMONTH=1;BYDAY=SU,MO,TU,WE,TH,FR,SA", // Every day in January, 3 years
    "FREQ=DAILY;UNTIL=20000131T140000Z;BYMONTH=1",                // (the same, written daily)
    "FREQ=WEEKLY;COUNT=10",                                       // Weekly for 10 occurrences
    "FREQ=WEEKLY;UNTIL=19971224T000000Z",                         // Weekly until December 24, 1997
    "FREQ=WEEKLY;INTERVAL=2;WKST=SU",                             // Every other week - forever
    "FREQ=WEEKLY;UNTIL=19971007T000000Z;WKST=SU;BYDAY=TU,TH",     // Weekly on Tuesday and Thursday for five weeks
    "FREQ=WEEKLY;COUNT=10;WKST=SU;BYDAY=TU,TH",                   // (the same, with COUNT)
    "FREQ=WEEKLY;INTERVAL=2;UNTIL=19971224T000000Z;WKST=SU;BYDAY=MO,WE,FR", // Every other week on M, W, F
    "FREQ=WEEKLY;INTERVAL=2;COUNT=8;WKST=SU;BYDAY=TU,TH",         // Every other week on Tu, Th, 8 occurrences
    "FREQ=MONTHLY;COUNT=10;BYDAY=1FR",                            // Monthly on the first Friday, 10 occurrences
    "FREQ=MONTHLY;UNTIL=19971224T000000Z;BYDAY=1FR",              // Monthly on the first Friday until Dec 24
    "FREQ=MONTHLY;INTERVAL=2;COUNT=10;BYDAY=1SU,-1SU",            // Every other month, first and last Sunday
    "FREQ=MONTHLY;COUNT=6;BYDAY=-2MO",                            // Second-to-last Monday, 6 months
    "FREQ=MONTHLY;BYMONTHDAY=-3",                                 // Third-to-last day of the month
    "FREQ=MONTHLY;COUNT=10;BYMONTHDAY=2,15",                      // 2nd and 15th, 10 occurrences
    "FREQ=MONTHLY;COUNT=10;BYMONTHDAY=1,-1",                      // First and last day, 10 occurrences
    "FREQ=MONTHLY;INTERVAL=18;COUNT=10;BYMONTHDAY=10,11,12,13,14,15", // Every 18 months, 10th to 15th
    "FREQ=MONTHLY;INTERVAL=2;BYDAY=TU",                           // Every Tuesday, every other month
    "FREQ=YEARLY;COUNT=10;BYMONTH=6,7",                           // Yearly in June and July
    "FREQ=YEARLY;INTERVAL=2;COUNT=10;BYMONTH=1,2,3",              // Every other year in January to March
    "FREQ=YEARLY;INTERVAL=3;COUNT=10;BYYEARDAY=1,100,200",        // Every third year on days 1, 100, 200
    "FREQ=YEARLY;BYDAY=20MO",                                     // Every 20th Monday of the year
    "FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO",                           // Monday of week number 20
    "FREQ=YEARLY;BYMONTH=3;BYDAY=TH",                             // Every Thursday in March
    "FREQ=YEARLY;BYDAY=TH;BYMONTH=6,7,8",                         // Every Thursday in June, July, August
    "FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13",                        // Every Friday the 13th
    "FREQ=MONTHLY;BYDAY=SA;BYMONTHDAY=7,8,9,10,11,12,13",         // First Saturday after the first Sunday
    "FREQ=YEARLY;INTERVAL=4;BYMONTH=11;BYDAY=TU;BYMONTHDAY=2,3,4,5,6,7,8", // U.S. Presidential Election Day
    "FREQ=MONTHLY;COUNT=3;BYDAY=TU,WE,TH;BYSETPOS=3",             // Third instance of Tu, We or Th
    "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2",              // Second-to-last weekday of the month
    "FREQ=HOURLY;INTERVAL=3;UNTIL=19970902T170000Z",              // Every 3 hours from 9:00 to 17:00
    "FREQ=MINUTELY;INTERVAL=15;COUNT=6",                          // Every 15 minutes, 6 occurrences
    "FREQ=MINUTELY;INTERVAL=90;COUNT=4",                          // Every hour and a half, 4 occurrences
    "FREQ=DAILY;BYHOUR=9,10,11,12,13,14,15,16;BYMINUTE=0,20,40",  // Every 20 minutes from 9:00 to 16:40
    "FREQ=MINUTELY;INTERVAL=20;BYHOUR=9,10,11,12,13,14,15,16",    // (the same, written minutely)
    "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO",         // WKST matters: week starts Monday
    "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU",         // ... and Sunday
    "FREQ=MONTHLY;BYMONTHDAY=15,30;COUNT=5",                      // An invalid date (February 30) is skipped
]

@Suite("RFC 5545 §3.8.5.3 examples")
struct RFC5545ExampleTests {
    @Test("every RRULE in the examples of RFC 5545 §3.8.5.3 parses and round-trips", arguments: rfc5545Examples)
    func parsesAndRoundTrips(text: String) throws {
        let rule = try RecurrenceRule(parsing: text)
        #expect(try RecurrenceRule(parsing: rule.description) == rule)
        // The canonical text holds every part of the original (parts may come in another order).
        #expect(Set(rule.description.split(separator: ";")) == Set(text.split(separator: ";").filter { $0 != "WKST=MO" }))
    }

    @Test("\"Every other month on the first and last Sunday\": signed ordinals in BYDAY (§3.3.10 weekdaynum)")
    func firstAndLastSunday() throws {
        let rule = try RecurrenceRule(parsing: "FREQ=MONTHLY;INTERVAL=2;COUNT=10;BYDAY=1SU,-1SU")
        #expect(rule.frequency == .monthly)
        #expect(rule.interval == 2)
        #expect(rule.count == 10)
        #expect(rule.byDay == [WeekdayNumber(.sunday, ordinal: 1), WeekdayNumber(.sunday, ordinal: -1)])
    }

    @Test("\"Daily until December 24, 1997\": UNTIL as a UTC date-time (§3.3.5 form #2)")
    func untilUTC() throws {
        let rule = try RecurrenceRule(parsing: "FREQ=DAILY;UNTIL=19971224T000000Z")
        #expect(rule.until == RecurrenceUntil(
            year: 1997, month: 12, day: 24, time: .init(hour: 0, minute: 0, second: 0), isUTC: true))
        #expect(rule.count == nil)
    }

    @Test("\"Every other week - forever\": WKST=SU is kept, an absent WKST means Monday (§3.3.10)")
    func weekStart() throws {
        #expect(try RecurrenceRule(parsing: "FREQ=WEEKLY;INTERVAL=2;WKST=SU").weekStart == .sunday)
        #expect(try RecurrenceRule(parsing: "FREQ=WEEKLY;INTERVAL=2").weekStart == .monday)
    }

    @Test("\"Second-to-last weekday of the month\": BYSETPOS picks from the BYDAY set")
    func setPosition() throws {
        let rule = try RecurrenceRule(parsing: "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2")
        #expect(rule.bySetPosition == [-2])
        #expect(rule.byDay.map(\.weekday) == [.monday, .tuesday, .wednesday, .thursday, .friday])
        #expect(rule.byDay.allSatisfy { $0.ordinal == nil })
    }

    @Test("\"Monday of week number 20\" and \"every third year on days 1, 100, 200\": BYWEEKNO and BYYEARDAY")
    func weekNumberAndYearDay() throws {
        #expect(try RecurrenceRule(parsing: "FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO").byWeekNumber == [20])
        #expect(try RecurrenceRule(parsing: "FREQ=YEARLY;INTERVAL=3;COUNT=10;BYYEARDAY=1,100,200").byYearDay == [1, 100, 200])
    }

    @Test("\"Every 20 minutes from 9:00 to 16:40\": BYHOUR and BYMINUTE lists")
    func hoursAndMinutes() throws {
        let rule = try RecurrenceRule(parsing: "FREQ=DAILY;BYHOUR=9,10,11,12,13,14,15,16;BYMINUTE=0,20,40")
        #expect(rule.byHour == Array(9...16))
        #expect(rule.byMinute == [0, 20, 40])
    }
}
