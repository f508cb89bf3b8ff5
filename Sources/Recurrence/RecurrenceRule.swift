/// An RFC 5545 §3.3.10 recurrence rule (RRULE), parsed and checked against the RFC's syntax rules.
///
/// This is the value only: which occurrences it produces depends on a DTSTART and a time zone,
/// and is the job of an evaluator built on top of it. Every rule part is kept as written
/// (lists in their given order), so an evaluator needs nothing but this value.
public struct RecurrenceRule: Sendable, Hashable, CustomStringConvertible {
    public var frequency: Frequency
    /// `INTERVAL`: every how many `frequency` units; 1 when not given.
    public var interval: Int
    /// `COUNT` or `UNTIL`; nil means the rule goes on for ever.
    public var end: RecurrenceEnd?
    /// `BYSECOND`: 0...60.
    public var bySecond: [Int]
    /// `BYMINUTE`: 0...59.
    public var byMinute: [Int]
    /// `BYHOUR`: 0...23.
    public var byHour: [Int]
    /// `BYDAY`: weekdays, each with an optional ordinal ±1...53.
    public var byDay: [WeekdayNumber]
    /// `BYMONTHDAY`: ±1...31; negative counts from the month's end.
    public var byMonthDay: [Int]
    /// `BYYEARDAY`: ±1...366.
    public var byYearDay: [Int]
    /// `BYWEEKNO`: ±1...53, ISO 8601 weeks starting on `weekStart`.
    public var byWeekNumber: [Int]
    /// `BYMONTH`: 1...12.
    public var byMonth: [Int]
    /// `BYSETPOS`: ±1...366, picks from the set each interval produces.
    public var bySetPosition: [Int]
    /// `WKST`: Monday when not given.
    public var weekStart: Weekday

    /// Makes a rule from parts; use `init(parsing:)` for text, which also checks the RFC's rules.
    public init(
        frequency: Frequency, interval: Int = 1, end: RecurrenceEnd? = nil, bySecond: [Int] = [],
        byMinute: [Int] = [], byHour: [Int] = [], byDay: [WeekdayNumber] = [], byMonthDay: [Int] = [],
        byYearDay: [Int] = [], byWeekNumber: [Int] = [], byMonth: [Int] = [], bySetPosition: [Int] = [],
        weekStart: Weekday = .monday
    ) {
        self.frequency = frequency
        self.interval = interval
        self.end = end
        self.bySecond = bySecond
        self.byMinute = byMinute
        self.byHour = byHour
        self.byDay = byDay
        self.byMonthDay = byMonthDay
        self.byYearDay = byYearDay
        self.byWeekNumber = byWeekNumber
        self.byMonth = byMonth
        self.bySetPosition = bySetPosition
        self.weekStart = weekStart
    }

    /// `COUNT`, if the rule ends after a number of occurrences.
    public var count: Int? {
        if case .count(let count) = end { return count }
        return nil
    }

    /// `UNTIL`, if the rule ends at a date or date-time.
    public var until: RecurrenceUntil? {
        if case .until(let until) = end { return until }
        return nil
    }

    /// The rule in RRULE text, parts in the RFC's order: `FREQ=MONTHLY;COUNT=6;BYDAY=2WE`.
    /// Parsing this text gives back an equal rule.
    public var description: String {
        var parts = ["FREQ=\(frequency.rawValue)"]
        if let end { parts.append(end.description) }
        if interval != 1 { parts.append("INTERVAL=\(interval)") }
        func list(_ name: String, _ values: [some CustomStringConvertible]) {
            if !values.isEmpty { parts.append(name + "=" + values.map(\.description).joined(separator: ",")) }
        }
        list("BYSECOND", bySecond)
        list("BYMINUTE", byMinute)
        list("BYHOUR", byHour)
        list("BYDAY", byDay)
        list("BYMONTHDAY", byMonthDay)
        list("BYYEARDAY", byYearDay)
        list("BYWEEKNO", byWeekNumber)
        list("BYMONTH", byMonth)
        list("BYSETPOS", bySetPosition)
        if weekStart != .monday { parts.append("WKST=\(weekStart.rawValue)") }
        return parts.joined(separator: ";")
    }
}
