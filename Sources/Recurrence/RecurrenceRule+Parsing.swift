extension RecurrenceRule {
    /// Parses RRULE text such as `FREQ=MONTHLY;BYDAY=1TU;BYHOUR=9;BYMINUTE=0`, checking
    /// RFC 5545 §3.3.10: its grammar, the value ranges, FREQ given exactly once, no part twice,
    /// COUNT and UNTIL not together, and which BY parts each FREQ allows.
    ///
    /// Names and enumerated values are read case-insensitively (ABNF literals are, RFC 5234 §2.3);
    /// a leading `RRULE:` (as in an iCalendar file) is accepted.
    public init(parsing text: String) throws(RecurrenceRuleError) {
        var body = Substring(text.trimmingASCIISpaces)
        if body.uppercased().hasPrefix("RRULE:") { body = body.dropFirst("RRULE:".count) }
        if body.isEmpty { throw .empty }

        var parser = RuleParser()
        for part in body.split(separator: ";", omittingEmptySubsequences: false) {
            try parser.read(part: String(part))
        }
        self = try parser.finish()
    }
}

/// Reads rule parts one at a time; `finish` applies the rules that span parts.
private struct RuleParser {
    private var seen: Set<String> = []
    private var frequency: Frequency?
    private var rule = RecurrenceRule(frequency: .daily)
    private var numberedDayPart: String?

    mutating func read(part: String) throws(RecurrenceRuleError) {
        if part.trimmingASCIISpaces.isEmpty { throw .emptyPart }
        if part.contains(where: { $0 == " " || $0 == "\t" }) { throw .containsSpace(part: part) }
        guard let equals = part.firstIndex(of: "=") else { throw .notNameValue(part: part) }
        let name = String(part[..<equals]).uppercased()
        let value = String(part[part.index(after: equals)...])
        guard Self.names.contains(name) else { throw .unknownPart(part: part, name: String(part[..<equals])) }
        guard seen.insert(name).inserted else { throw .repeatedPart(name: name) }
        if value.isEmpty { throw .emptyValue(part: part) }

        switch name {
        case "FREQ":
            guard let frequency = Frequency(rawValue: value.uppercased()) else {
                throw .unknownFrequency(part: part, value: value)
            }
            self.frequency = frequency
        case "INTERVAL":
            rule.interval = try Self.number(value, in: 1...Int(Int32.max), allowed: "a whole number from 1 up", part: part)
        case "COUNT":
            rule.end = .count(try Self.number(value, in: 1...Int(Int32.max), allowed: "a whole number from 1 up", part: part))
        case "UNTIL":
            rule.end = .until(try Self.until(value, part: part))
        case "BYSECOND":
            rule.bySecond = try Self.list(value, part: part) { v throws(RecurrenceRuleError) in
                try Self.number(v, in: 0...60, allowed: "0 to 60", part: part)
            }
        case "BYMINUTE":
            rule.byMinute = try Self.list(value, part: part) { v throws(RecurrenceRuleError) in
                try Self.number(v, in: 0...59, allowed: "0 to 59", part: part)
            }
        case "BYHOUR":
            rule.byHour = try Self.list(value, part: part) { v throws(RecurrenceRuleError) in
                try Self.number(v, in: 0...23, allowed: "0 to 23", part: part)
            }
        case "BYDAY":
            rule.byDay = try Self.list(value, part: part) { v throws(RecurrenceRuleError) in
                try Self.weekdayNumber(v, part: part)
            }
            if rule.byDay.contains(where: { $0.ordinal != nil }) { numberedDayPart = part }
        case "BYMONTHDAY":
            rule.byMonthDay = try Self.list(value, part: part) { v throws(RecurrenceRuleError) in
                try Self.signedNumber(v, upTo: 31, allowed: "1 to 31, or -31 to -1 to count from the month's end", part: part)
            }
        case "BYYEARDAY":
            rule.byYearDay = try Self.list(value, part: part) { v throws(RecurrenceRuleError) in
                try Self.signedNumber(v, upTo: 366, allowed: "1 to 366, or -366 to -1 to count from the year's end", part: part)
            }
        case "BYWEEKNO":
            rule.byWeekNumber = try Self.list(value, part: part) { v throws(RecurrenceRuleError) in
                try Self.signedNumber(v, upTo: 53, allowed: "1 to 53, or -53 to -1 to count from the year's end", part: part)
            }
        case "BYMONTH":
            rule.byMonth = try Self.list(value, part: part) { v throws(RecurrenceRuleError) in
                try Self.number(v, in: 1...12, allowed: "1 to 12", part: part)
            }
        case "BYSETPOS":
            rule.bySetPosition = try Self.list(value, part: part) { v throws(RecurrenceRuleError) in
                try Self.signedNumber(v, upTo: 366, allowed: "1 to 366, or -366 to -1 to count from the end", part: part)
            }
        case "WKST":
            guard let day = Weekday(rawValue: value.uppercased()) else { throw .notAWeekday(part: part, value: value) }
            rule.weekStart = day
        default:
            break
        }
    }

    /// The rules of RFC 5545 §3.3.10 that relate one part to another.
    func finish() throws(RecurrenceRuleError) -> RecurrenceRule {
        guard let frequency else { throw .missingFrequency }
        if seen.contains("COUNT") && seen.contains("UNTIL") { throw .countAndUntil }
        if let numberedDayPart {
            guard frequency == .monthly || frequency == .yearly else {
                throw .ordinalNeedsMonthlyOrYearly(part: numberedDayPart, frequency: frequency)
            }
            if frequency == .yearly && !rule.byWeekNumber.isEmpty { throw .ordinalWithWeekNumber(part: numberedDayPart) }
        }
        if !rule.byMonthDay.isEmpty && frequency == .weekly {
            throw .notWithFrequency(name: "BYMONTHDAY", frequency: frequency, allowed: "any FREQ but WEEKLY")
        }
        if !rule.byYearDay.isEmpty && [.daily, .weekly, .monthly].contains(frequency) {
            throw .notWithFrequency(
                name: "BYYEARDAY", frequency: frequency, allowed: "FREQ=YEARLY, HOURLY, MINUTELY or SECONDLY")
        }
        if !rule.byWeekNumber.isEmpty && frequency != .yearly {
            throw .notWithFrequency(name: "BYWEEKNO", frequency: frequency, allowed: "FREQ=YEARLY")
        }
        if !rule.bySetPosition.isEmpty && seen.subtracting(["BYSETPOS"]).allSatisfy({ !$0.hasPrefix("BY") }) {
            throw .setPositionAlone
        }
        var result = rule
        result.frequency = frequency
        return result
    }

    private static let names: Set<String> = [
        "FREQ", "UNTIL", "COUNT", "INTERVAL", "BYSECOND", "BYMINUTE", "BYHOUR", "BYDAY", "BYMONTHDAY",
        "BYYEARDAY", "BYWEEKNO", "BYMONTH", "BYSETPOS", "WKST",
    ]

    private static func list<T>(
        _ value: String, part: String, _ element: (String) throws(RecurrenceRuleError) -> T
    ) throws(RecurrenceRuleError) -> [T] {
        var result: [T] = []
        for item in value.split(separator: ",", omittingEmptySubsequences: false) {
            if item.isEmpty { throw .emptyValue(part: part) }
            result.append(try element(String(item)))
        }
        return result
    }

    /// An optionally signed decimal integer; nil when the text is not one (or is absurdly long).
    private static func integer(_ text: String) -> Int? {
        var digits = Substring(text)
        if digits.first == "+" || digits.first == "-" { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.count <= 9, digits.allSatisfy({ ("0"..."9").contains($0) }) else { return nil }
        return Int(text)
    }

    private static func number(
        _ text: String, in range: ClosedRange<Int>, allowed: String, part: String
    ) throws(RecurrenceRuleError) -> Int {
        // The grammar has no sign on these values, so "+5" is as wrong as "five".
        guard let number = integer(text), text.first != "+" else {
            throw .notANumber(part: part, value: text, allowed: allowed)
        }
        guard range.contains(number) else { throw .outOfRange(part: part, value: text, allowed: allowed) }
        return number
    }

    /// `[+/-] 1*DIGIT` whose magnitude is 1...limit: zero is not a position.
    private static func signedNumber(
        _ text: String, upTo limit: Int, allowed: String, part: String
    ) throws(RecurrenceRuleError) -> Int {
        guard let number = integer(text) else { throw .notANumber(part: part, value: text, allowed: allowed) }
        guard number != 0, abs(number) <= limit else { throw .outOfRange(part: part, value: text, allowed: allowed) }
        return number
    }

    private static func weekdayNumber(_ text: String, part: String) throws(RecurrenceRuleError) -> WeekdayNumber {
        let numberEnd = text.firstIndex { !"+-0123456789".contains($0) } ?? text.endIndex
        let number = String(text[..<numberEnd])
        let dayText = String(text[numberEnd...])
        guard let day = Weekday(rawValue: dayText.uppercased()) else { throw .notAWeekday(part: part, value: dayText) }
        guard !number.isEmpty else { return WeekdayNumber(day) }
        let allowed = "1 to 53 or -53 to -1 before the weekday, as in 1TU or -1FR"
        guard let ordinal = integer(number) else { throw .notANumber(part: part, value: number, allowed: allowed) }
        guard ordinal != 0, abs(ordinal) <= 53 else { throw .outOfRange(part: part, value: number, allowed: allowed) }
        return WeekdayNumber(day, ordinal: ordinal)
    }

    /// `date` (YYYYMMDD) or `date-time` (YYYYMMDDTHHMMSS, optionally `Z`), RFC 5545 §3.3.4 and §3.3.5.
    private static func until(_ text: String, part: String) throws(RecurrenceRuleError) -> RecurrenceUntil {
        let bad = RecurrenceRuleError.badUntil(part: part, value: text)
        let characters = Array(text.uppercased())
        func digits(_ range: Range<Int>) throws(RecurrenceRuleError) -> Int {
            guard range.upperBound <= characters.count else { throw bad }
            let slice = characters[range]
            guard slice.allSatisfy({ ("0"..."9").contains($0) }), let value = Int(String(slice)) else { throw bad }
            return value
        }
        let year = try digits(0..<4), month = try digits(4..<6), day = try digits(6..<8)
        guard (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day) else { throw bad }
        if characters.count == 8 { return RecurrenceUntil(year: year, month: month, day: day) }
        guard characters.count == 15 || (characters.count == 16 && characters[15] == "Z"), characters[8] == "T" else {
            throw bad
        }
        let hour = try digits(9..<11), minute = try digits(11..<13), second = try digits(13..<15)
        guard hour <= 23, minute <= 59, second <= 60 else { throw bad }
        return RecurrenceUntil(
            year: year, month: month, day: day, time: .init(hour: hour, minute: minute, second: second),
            isUTC: characters.count == 16)
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

extension String {
    var trimmingASCIISpaces: String {
        var text = Substring(self)
        while let first = text.first, first == " " || first == "\t" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
        return String(text)
    }
}
