/// A day on the calendar with no time zone, such as the local date of a meeting
/// or an exception date of a recurrence.
public struct CalendarDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// The date, or nil when it is not on the calendar (2027-02-29, month 13). Years run 1...9999,
    /// the four digits of an RFC 5545 DATE (§3.3.4).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              (1...CivilCalendar.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        self.init(checkedYear: year, month: month, day: day)
    }

    init(checkedYear year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    init(dayNumber: Int) {
        let date = CivilCalendar.date(ofDayNumber: dayNumber)
        self.init(checkedYear: date.year, month: date.month, day: date.day)
    }

    /// Days since 1970-01-01.
    var dayNumber: Int { CivilCalendar.dayNumber(year: year, month: month, day: day) }

    /// The day of the week this date falls on.
    public var weekday: Weekday {
        Weekday.allCases[CivilCalendar.weekdayIndex(ofDayNumber: dayNumber)]
    }

    /// Earlier dates sort first.
    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// ISO 8601: `2027-01-13`.
    public var description: String {
        digits(year, 4) + "-" + digits(month, 2) + "-" + digits(day, 2)
    }
}

/// A number with leading zeros to `width` digits.
func digits(_ value: Int, _ width: Int) -> String {
    let text = String(value)
    return String(repeating: "0", count: max(0, width - text.count)) + text
}
