import Recurrence
import Testing

/// The rules of RFC 5545 §3.3.10 ("Recurrence Rule") a parser must enforce, and the messages
/// the admin sees when a rule in the config breaks one.
@Suite("RRULE syntax (RFC 5545 §3.3.10)")
struct RecurrenceRuleSyntaxTests {
    private func error(_ text: String) -> RecurrenceRuleError? {
        do {
            _ = try RecurrenceRule(parsing: text)
            return nil
        } catch {
            return error
        }
    }

    @Test("the newsletter schedule of the example config parses into its parts")
    func newsletterSchedule() throws {
        let rule = try RecurrenceRule(parsing: "FREQ=MONTHLY;BYDAY=1TU;BYHOUR=9;BYMINUTE=0")
        #expect(rule == RecurrenceRule(
            frequency: .monthly, byMinute: [0], byHour: [9], byDay: [WeekdayNumber(.tuesday, ordinal: 1)]))
        #expect(rule.end == nil)
        #expect(rule.description == "FREQ=MONTHLY;BYMINUTE=0;BYHOUR=9;BYDAY=1TU")
    }

    @Test("a weekday that is not one names the bad part and lists the weekdays (§3.3.10 weekday)")
    func badWeekday() {
        let failure = error("FREQ=MONTHLY;BYDAY=1XX")
        #expect(failure == .notAWeekday(part: "BYDAY=1XX", value: "XX"))
        #expect(failure?.description == "BYDAY=1XX: XX is not a weekday; write MO, TU, WE, TH, FR, SA or SU")
        #expect(error("FREQ=WEEKLY;WKST=MONDAY") == .notAWeekday(part: "WKST=MONDAY", value: "MONDAY"))
    }

    @Test("FREQ is required and may appear only once (§3.3.10: \"The FREQ rule part is REQUIRED, but MUST NOT occur more than once\")")
    func frequencyRequiredOnce() {
        #expect(error("BYDAY=MO;COUNT=3") == .missingFrequency)
        #expect(error("FREQ=DAILY;FREQ=WEEKLY") == .repeatedPart(name: "FREQ"))
        #expect(error("FREQ=FORTNIGHTLY") == .unknownFrequency(part: "FREQ=FORTNIGHTLY", value: "FORTNIGHTLY"))
    }

    @Test("other rule parts also appear at most once (§3.3.10: \"other than FREQ ... SHOULD NOT occur more than once\")")
    func partsOnce() {
        #expect(error("FREQ=DAILY;BYHOUR=9;BYHOUR=10") == .repeatedPart(name: "BYHOUR"))
    }

    @Test("COUNT and UNTIL must not occur in the same rule (§3.3.10)")
    func countAndUntil() {
        let failure = error("FREQ=DAILY;COUNT=5;UNTIL=20271231")
        #expect(failure == .countAndUntil)
        #expect(failure?.description == "COUNT and UNTIL are both given; keep one of them")
    }

    @Test("UNTIL is a DATE or DATE-TIME (§3.3.4, §3.3.5) that exists on the calendar")
    func untilValues() throws {
        #expect(try RecurrenceRule(parsing: "FREQ=DAILY;UNTIL=20271231").until == RecurrenceUntil(year: 2027, month: 12, day: 31))
        #expect(try RecurrenceRule(parsing: "FREQ=DAILY;UNTIL=20271231T090000").until?.isUTC == false)
        #expect(try RecurrenceRule(parsing: "FREQ=DAILY;UNTIL=20280229").until?.day == 29)
        #expect(error("FREQ=DAILY;UNTIL=20270229") == .badUntil(part: "UNTIL=20270229", value: "20270229"))
        #expect(error("FREQ=DAILY;UNTIL=2027-12-31") == .badUntil(part: "UNTIL=2027-12-31", value: "2027-12-31"))
        #expect(error("FREQ=DAILY;UNTIL=20271231T250000Z") == .badUntil(part: "UNTIL=20271231T250000Z", value: "20271231T250000Z"))
    }

    @Test("value ranges of §3.3.10: seconds 0-60, minutes 0-59, hours 0-23, months 1-12, and no zero positions")
    func ranges() throws {
        #expect(error("FREQ=DAILY;BYHOUR=24") == .outOfRange(part: "BYHOUR=24", value: "24", allowed: "0 to 23"))
        #expect(error("FREQ=DAILY;BYHOUR=24")?.description == "BYHOUR=24: 24 is out of range; write 0 to 23")
        #expect(error("FREQ=DAILY;BYMINUTE=60") == .outOfRange(part: "BYMINUTE=60", value: "60", allowed: "0 to 59"))
        #expect(try RecurrenceRule(parsing: "FREQ=MINUTELY;BYSECOND=60").bySecond == [60])
        #expect(error("FREQ=YEARLY;BYMONTH=13") == .outOfRange(part: "BYMONTH=13", value: "13", allowed: "1 to 12"))
        if case .outOfRange(let part, let value, _)? = error("FREQ=MONTHLY;BYMONTHDAY=0") {
            #expect(part == "BYMONTHDAY=0" && value == "0")
        } else {
            Issue.record("BYMONTHDAY=0 must be out of range")
        }
        if case .outOfRange(_, let value, _)? = error("FREQ=MONTHLY;BYMONTHDAY=-32") { #expect(value == "-32") }
        else { Issue.record("BYMONTHDAY=-32 must be out of range") }
        if case .outOfRange(_, let value, _)? = error("FREQ=YEARLY;BYYEARDAY=367") { #expect(value == "367") }
        else { Issue.record("BYYEARDAY=367 must be out of range") }
        if case .outOfRange(_, let value, _)? = error("FREQ=YEARLY;BYWEEKNO=54") { #expect(value == "54") }
        else { Issue.record("BYWEEKNO=54 must be out of range") }
        if case .outOfRange(_, let value, _)? = error("FREQ=MONTHLY;BYDAY=MO;BYSETPOS=0") { #expect(value == "0") }
        else { Issue.record("BYSETPOS=0 must be out of range") }
        if case .outOfRange(let part, let value, _)? = error("FREQ=YEARLY;BYDAY=54MO") {
            #expect(part == "BYDAY=54MO" && value == "54")
        } else {
            Issue.record("an ordinal of 54 must be out of range (ordwk is 1 to 53)")
        }
        #expect(try RecurrenceRule(parsing: "FREQ=MONTHLY;BYMONTHDAY=+5").byMonthDay == [5])
    }

    @Test("INTERVAL and COUNT are positive whole numbers")
    func intervalAndCount() {
        #expect(error("FREQ=WEEKLY;INTERVAL=0") == .outOfRange(part: "INTERVAL=0", value: "0", allowed: "a whole number from 1 up"))
        #expect(error("FREQ=WEEKLY;INTERVAL=two") == .notANumber(part: "INTERVAL=two", value: "two", allowed: "a whole number from 1 up"))
        #expect(error("FREQ=WEEKLY;COUNT=-3") == .outOfRange(part: "COUNT=-3", value: "-3", allowed: "a whole number from 1 up"))
        #expect(error("FREQ=DAILY;BYHOUR=+9") == .notANumber(part: "BYHOUR=+9", value: "+9", allowed: "0 to 23"))
    }

    @Test("a numbered BYDAY needs FREQ=MONTHLY or YEARLY, and not YEARLY with BYWEEKNO (§3.3.10 BYDAY)")
    func numberedWeekday() {
        let failure = error("FREQ=WEEKLY;BYDAY=1TU")
        #expect(failure == .ordinalNeedsMonthlyOrYearly(part: "BYDAY=1TU", frequency: .weekly))
        #expect(failure?.description.hasPrefix("BYDAY=1TU: a number before the weekday needs FREQ=MONTHLY or FREQ=YEARLY") == true)
        #expect(error("FREQ=YEARLY;BYWEEKNO=20;BYDAY=1MO") == .ordinalWithWeekNumber(part: "BYDAY=1MO"))
    }

    @Test("BY parts forbidden per FREQ (§3.3.10): BYMONTHDAY not WEEKLY, BYYEARDAY not DAILY/WEEKLY/MONTHLY, BYWEEKNO only YEARLY")
    func partsPerFrequency() {
        #expect(error("FREQ=WEEKLY;BYMONTHDAY=1") == .notWithFrequency(name: "BYMONTHDAY", frequency: .weekly, allowed: "any FREQ but WEEKLY"))
        if case .notWithFrequency(let name, let frequency, _)? = error("FREQ=MONTHLY;BYYEARDAY=100") {
            #expect(name == "BYYEARDAY" && frequency == .monthly)
        } else {
            Issue.record("BYYEARDAY with FREQ=MONTHLY must be refused")
        }
        #expect(error("FREQ=MONTHLY;BYWEEKNO=20") == .notWithFrequency(name: "BYWEEKNO", frequency: .monthly, allowed: "FREQ=YEARLY"))
        #expect((try? RecurrenceRule(parsing: "FREQ=HOURLY;BYYEARDAY=1")) != nil)
    }

    @Test("BYSETPOS is used only together with another BY part (§3.3.10 BYSETPOS)")
    func setPositionNeedsCompany() {
        #expect(error("FREQ=MONTHLY;BYSETPOS=1") == .setPositionAlone)
        #expect(error("FREQ=MONTHLY;COUNT=3;BYSETPOS=-1") == .setPositionAlone)
    }

    @Test("grammar errors: unknown names, missing '=', empty parts and values, spaces")
    func grammar() {
        #expect(error("") == .empty)
        #expect(error("FREQ=DAILY;BYDAYS=MO") == .unknownPart(part: "BYDAYS=MO", name: "BYDAYS"))
        #expect(error("FREQ=DAILY;COUNT") == .notNameValue(part: "COUNT"))
        #expect(error("FREQ=DAILY;") == .emptyPart)
        #expect(error("FREQ=DAILY;;COUNT=2") == .emptyPart)
        #expect(error("FREQ=WEEKLY;BYDAY=") == .emptyValue(part: "BYDAY="))
        #expect(error("FREQ=WEEKLY;BYDAY=MO,,TU") == .emptyValue(part: "BYDAY=MO,,TU"))
        #expect(error("FREQ=MONTHLY; BYDAY=1TU") == .containsSpace(part: " BYDAY=1TU"))
    }

    @Test("names and enumerated values are case-insensitive (ABNF literals, RFC 5234 §2.3); an RRULE: prefix is accepted")
    func caseAndPrefix() throws {
        let rule = try RecurrenceRule(parsing: "freq=monthly;byday=1tu,-1fr;wkst=su")
        #expect(rule == (try RecurrenceRule(parsing: "RRULE:FREQ=MONTHLY;BYDAY=1TU,-1FR;WKST=SU")))
    }

    @Test("Weekday maps to Foundation's Calendar numbering (Sunday is 1) for the evaluator")
    func calendarWeekdays() {
        #expect(Weekday.sunday.calendarWeekday == 1)
        #expect(Weekday.monday.calendarWeekday == 2)
        #expect(Weekday(calendarWeekday: 7) == .saturday)
        #expect(Weekday(calendarWeekday: 0) == nil)
    }
}
