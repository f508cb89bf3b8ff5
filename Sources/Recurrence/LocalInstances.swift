import Foundation

/// The instances of a recurrence set as wall-clock times, in order: the rule's instances from
/// DTSTART on, ended by COUNT or UNTIL, with the exceptions left out. Placing them on the time
/// line is for `RecurrenceSet`.
struct LocalInstances: IteratorProtocol {
    private let expander: RuleExpander
    private let startSeconds: Int
    private let count: Int?
    private let until: UntilBound?
    private let timeZone: TimeZone
    private let excludedDates: Set<CalendarDate>
    private let excludedTimes: Set<WallClockTime>
    /// No period beginning after this wall-clock second is looked at (a query's far end).
    var stopAfterSeconds: Int?

    private var period: Int?
    /// The last period that produced an instance (or the first looked at): the horizon counts from it.
    private var lastProductivePeriod: Int
    private var pending: [WallClockTime] = []
    private var pendingIndex = 0
    private var generated = 0
    private var layouts = YearLayoutCache()

    /// Instances from the period `firstPeriod` on; a COUNT rule must begin at DTSTART's period.
    init(set: RecurrenceSet, firstPeriod: Int) {
        expander = set.expander
        startSeconds = set.start.secondsSinceEpoch
        count = set.rule.count
        until = set.rule.until.map { UntilBound($0, timeZone: set.timeZone) }
        timeZone = set.timeZone
        excludedDates = Set(set.exceptions.compactMap { if case .date(let date) = $0 { date } else { nil } })
        excludedTimes = Set(set.exceptions.compactMap { if case .time(let time) = $0 { time } else { nil } })
        period = expander.isEmpty || count == 0 ? nil : firstPeriod
        lastProductivePeriod = firstPeriod
    }

    mutating func next() -> WallClockTime? {
        while true {
            if pendingIndex < pending.count {
                let local = pending[pendingIndex]
                pendingIndex += 1
                let seconds = local.secondsSinceEpoch
                // Instances before DTSTART (earlier in its period) are not in the set.
                if seconds < startSeconds { continue }
                if let until {
                    switch until.test(local, seconds: seconds, timeZone: timeZone) {
                    case .within: break
                    case .after: continue
                    case .beyond:
                        finish()
                        return nil
                    }
                }
                if let count {
                    generated += 1
                    if generated >= count { finish() }
                }
                if excludedDates.contains(local.date) || excludedTimes.contains(local) { continue }
                return local
            }
            guard let current = period else { return nil }
            let periodStart = expander.startSeconds(of: current)
            if periodStart > Self.lastSecond
                || stopAfterSeconds.map({ periodStart > $0 }) == true
                || until.map({ periodStart > $0.lastWallSecond }) == true {
                finish()
                return nil
            }
            let instances = expander.instances(in: current, layouts: &layouts)
            if instances.isEmpty {
                if let horizon = expander.horizon, current - lastProductivePeriod >= horizon {
                    finish()
                    return nil
                }
                let target = expander.skipTarget(afterEmpty: current, layouts: &layouts)
                let steps = max(1, (target - current + expander.step - 1) / expander.step)
                period = current + steps * expander.step
            } else {
                lastProductivePeriod = current
                pending = instances
                pendingIndex = 0
                period = current + expander.step
            }
        }
    }

    private mutating func finish() {
        period = nil
        pending = []
        pendingIndex = 0
    }

    /// The end of 9999-12-31 on the wall clock: RFC 5545 years have four digits (§3.3.4).
    private static let lastSecond = (CivilCalendar.dayNumber(year: 10_000, month: 1, day: 1)) * 86_400 - 1
}

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
