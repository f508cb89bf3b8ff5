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
