/// A day of the week as RFC 5545 writes it (`MO` … `SU`), used by `BYDAY` and `WKST`.
public enum Weekday: String, Sendable, Hashable, CaseIterable {
    case monday = "MO"
    case tuesday = "TU"
    case wednesday = "WE"
    case thursday = "TH"
    case friday = "FR"
    case saturday = "SA"
    case sunday = "SU"

    /// The number Foundation's `Calendar` uses for this day (Sunday is 1, Saturday 7).
    public var calendarWeekday: Int {
        switch self {
        case .sunday: 1
        case .monday: 2
        case .tuesday: 3
        case .wednesday: 4
        case .thursday: 5
        case .friday: 6
        case .saturday: 7
        }
    }

    /// The day `Calendar` numbers so (Sunday is 1), or nil outside 1...7.
    public init?(calendarWeekday: Int) {
        guard let day = Weekday.allCases.first(where: { $0.calendarWeekday == calendarWeekday }) else { return nil }
        self = day
    }
}

/// One `BYDAY` value: a weekday with an optional signed ordinal, as in `TU`, `1TU` or `-1FR`
/// (RFC 5545 §3.3.10 `weekdaynum`).
public struct WeekdayNumber: Sendable, Hashable, CustomStringConvertible {
    /// `1` is the first such weekday in the month or year, `-1` the last; nil means every one.
    public var ordinal: Int?
    public var weekday: Weekday

    public init(_ weekday: Weekday, ordinal: Int? = nil) {
        self.weekday = weekday
        self.ordinal = ordinal
    }

    /// The RRULE form: `TU`, `1TU`, `-1FR`.
    public var description: String {
        (ordinal.map(String.init) ?? "") + weekday.rawValue
    }
}

extension Weekday {
    /// 0 for Monday through 6 for Sunday (the order of `allCases`), for weekday arithmetic.
    var index: Int {
        switch self {
        case .monday: 0
        case .tuesday: 1
        case .wednesday: 2
        case .thursday: 3
        case .friday: 4
        case .saturday: 5
        case .sunday: 6
        }
    }
}
