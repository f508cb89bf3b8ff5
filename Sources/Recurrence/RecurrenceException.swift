/// Something left out of a recurrence set, like an RFC 5545 EXDATE (§3.8.5.1): the config's
/// `except: [2027-07-14, 2027-09-08T09:00]`.
///
/// Exceptions are taken away after the rule has produced its instances, so they do not move
/// COUNT: a rule of six with one exception leaves five ("start DATE-TIME values specified by
/// EXDATE properties take precedence over those specified by inclusion properties").
public enum RecurrenceException: Sendable, Hashable, CustomStringConvertible {
    /// Every occurrence whose local date is this day.
    case date(CalendarDate)
    /// The occurrence at exactly this local time, as the rule generates it.
    case time(WallClockTime)

    /// Whether this exception removes the occurrence the rule generates at `local`.
    public func excludes(_ local: WallClockTime) -> Bool {
        switch self {
        case .date(let date): local.date == date
        case .time(let time): local == time
        }
    }

    /// As the config writes it: `2027-07-14` or `2027-09-08T09:00:00`.
    public var description: String {
        switch self {
        case .date(let date): date.description
        case .time(let time): time.description
        }
    }
}
