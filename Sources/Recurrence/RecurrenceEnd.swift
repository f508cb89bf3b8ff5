/// How a recurrence ends: after a number of occurrences (`COUNT`) or at a moment (`UNTIL`).
public enum RecurrenceEnd: Sendable, Hashable, CustomStringConvertible {
    case count(Int)
    case until(RecurrenceUntil)

    /// The RRULE form: `COUNT=6` or `UNTIL=20271231T235959Z`.
    public var description: String {
        switch self {
        case .count(let count): "COUNT=\(count)"
        case .until(let until): "UNTIL=\(until)"
        }
    }
}

/// The `UNTIL` bound: a date, or a date-time that is either floating (local) or UTC (`Z`).
///
/// RFC 5545 §3.3.10 says the bound is inclusive and that, when DTSTART has a time zone,
/// a date-time bound must be UTC; that needs DTSTART, so it is for the evaluator to check.
public struct RecurrenceUntil: Sendable, Hashable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int
    /// Hour, minute and second; nil when the bound is a DATE.
    public var time: Time?
    /// True when the date-time ends in `Z`.
    public var isUTC: Bool

    /// A time of day as UNTIL carries it (second may be 60: a leap second, RFC 5545 §3.3.12).
    public struct Time: Sendable, Hashable {
        public var hour: Int
        public var minute: Int
        public var second: Int

        public init(hour: Int, minute: Int, second: Int) {
            self.hour = hour
            self.minute = minute
            self.second = second
        }
    }

    public init(year: Int, month: Int, day: Int, time: Time? = nil, isUTC: Bool = false) {
        self.year = year
        self.month = month
        self.day = day
        self.time = time
        self.isUTC = time != nil && isUTC
    }

    /// The RFC 5545 form: `20271231` or `20271231T235959Z`.
    public var description: String {
        var text = Self.digits(year, 4) + Self.digits(month, 2) + Self.digits(day, 2)
        if let time {
            text += "T" + Self.digits(time.hour, 2) + Self.digits(time.minute, 2) + Self.digits(time.second, 2)
            if isUTC { text += "Z" }
        }
        return text
    }

    private static func digits(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
