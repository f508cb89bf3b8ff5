import Foundation

/// A date and time of day as a wall clock shows it, with no time zone: the values RFC 5545
/// recurrence rules are expanded in (a DATE-TIME "with local time", §3.3.5).
///
/// `date(in:)` places it on the time line; the same wall-clock time names different instants
/// in winter and in summer, which is what keeps a 9:00 meeting at 9:00 all year.
public struct WallClockTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int
    public let hour: Int
    public let minute: Int
    public let second: Int

    /// The time, or nil when it names no real day or time of day (2027-02-30, 24:00).
    /// Seconds run 0...59: Foundation's time line has no leap seconds.
    public init?(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) {
        guard CalendarDate(year: year, month: month, day: day) != nil,
              (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second)
        else { return nil }
        self.init(checkedYear: year, month: month, day: day, hour: hour, minute: minute, second: second)
    }

    /// The time at `hour:minute:second` on `date`, or nil when the time of day is not one.
    public init?(date: CalendarDate, hour: Int = 0, minute: Int = 0, second: Int = 0) {
        self.init(year: date.year, month: date.month, day: date.day, hour: hour, minute: minute, second: second)
    }

    /// The wall-clock time in `timeZone` at the instant `date` (to the whole second, rounded down).
    public init(_ date: Date, in timeZone: TimeZone) {
        let utcSeconds = Int(date.timeIntervalSince1970.rounded(.down))
        self.init(secondsSinceEpoch: utcSeconds + timeZone.secondsFromGMT(for: date))
    }

    init(checkedYear year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
    }

    /// From seconds counted as if the wall clock were UTC (see `secondsSinceEpoch`).
    init(secondsSinceEpoch seconds: Int) {
        let date = CivilCalendar.date(ofDayNumber: floorDivide(seconds, 86_400))
        let secondOfDay = floorMod(seconds, 86_400)
        self.init(
            checkedYear: date.year, month: date.month, day: date.day,
            hour: secondOfDay / 3600, minute: secondOfDay / 60 % 60, second: secondOfDay % 60)
    }

    /// Seconds since 1970-01-01T00:00:00 on this same wall clock: wall-clock arithmetic,
    /// in which every day has 86400 seconds.
    var secondsSinceEpoch: Int {
        dayNumber * 86_400 + hour * 3600 + minute * 60 + second
    }

    var dayNumber: Int { CivilCalendar.dayNumber(year: year, month: month, day: day) }

    /// The calendar date, without the time of day.
    public var date: CalendarDate {
        CalendarDate(checkedYear: year, month: month, day: day)
    }

    /// This time moved by `seconds` on the wall clock.
    func adding(seconds: Int) -> WallClockTime {
        WallClockTime(secondsSinceEpoch: secondsSinceEpoch + seconds)
    }

    /// Earlier on the wall clock sorts first (which, across a clock change, need not be earlier in time).
    public static func < (lhs: WallClockTime, rhs: WallClockTime) -> Bool {
        (lhs.year, lhs.month, lhs.day, lhs.hour, lhs.minute, lhs.second)
            < (rhs.year, rhs.month, rhs.day, rhs.hour, rhs.minute, rhs.second)
    }

    /// ISO 8601 without a zone: `2027-01-13T09:00:00`.
    public var description: String {
        date.description + "T" + digits(hour, 2) + ":" + digits(minute, 2) + ":" + digits(second, 2)
    }
}
