import Foundation

/// UNTIL, made ready for comparing instances against (RFC 5545 §3.3.10: "If the value specified
/// by UNTIL is synchronized with the specified recurrence, this DATE or DATE-TIME becomes the
/// last instance of the recurrence", so the bound is inclusive).
///
/// A UTC date-time is compared with each instance's instant. RFC 5545 requires that form when
/// DTSTART has a time zone, as ours always does; a floating date-time is read on the local wall
/// clock, and a date as the whole of that local day, rather than rejected.
struct UntilBound {
    private let instant: Date?
    /// The latest wall-clock second an instance may have; for a UTC bound, with two days to spare,
    /// for the instant decides.
    let lastWallSecond: Int

    enum Outcome {
        case within
        /// Past the bound, but a later wall-clock time might not be (only near a clock change).
        case after
        /// Past the bound, as is everything later.
        case beyond
    }

    init(_ until: RecurrenceUntil, timeZone: TimeZone) {
        let day = CivilCalendar.dayNumber(year: until.year, month: until.month, day: until.day)
        guard let time = until.time else {
            instant = nil
            lastWallSecond = day * 86_400 + 86_399
            return
        }
        let seconds = day * 86_400 + time.hour * 3600 + time.minute * 60 + min(time.second, 59)
        if until.isUTC {
            let date = Date(timeIntervalSince1970: TimeInterval(seconds))
            instant = date
            lastWallSecond = WallClockTime(date, in: timeZone).secondsSinceEpoch + RecurrenceSet.clockChangeMargin
        } else {
            instant = nil
            lastWallSecond = seconds
        }
    }

    func test(_ local: WallClockTime, seconds: Int, timeZone: TimeZone) -> Outcome {
        if seconds > lastWallSecond { return .beyond }
        guard let instant, seconds > lastWallSecond - 2 * RecurrenceSet.clockChangeMargin else { return .within }
        return local.date(in: timeZone) <= instant ? .within : .after
    }
}
