import Foundation

/// The occurrences of a recurrence rule from a start in a time zone, less its exceptions:
/// RFC 5545's recurrence set (§3.8.5.3) of a DTSTART, one RRULE and EXDATEs.
///
/// The rule is expanded on the local wall clock of `timeZone` (§3.3.10), so a 09:00 meeting stays
/// at 09:00 across daylight-saving changes; each instance is then placed on the time line as
/// §3.3.5 reads local times (see `WallClockTime.date(in:)`).
///
/// Choices where RFC 5545 leaves room:
/// - DTSTART is an occurrence only when the rule generates it, as in python-dateutil and libical 3.
///   §3.8.5.3 calls a set whose DTSTART is "not synchronized with the recurrence rule" undefined;
///   counting such a DTSTART anyway is what RFC 2445-era libical did, and would give the newsletter,
///   whose DTSTART is the anchor 2000-01-01T00:00, an edition at midnight. COUNT therefore counts
///   the rule's instances from DTSTART on, DTSTART included when it is one.
/// - Instances the rule puts in the hour a clock change skips land an hour later (§3.3.5); should
///   one then coincide with another instance, the set holds it once ("Duplicate instances are
///   ignored", §3.8.5.3), though COUNT has counted both, as instances are counted on the wall clock.
/// - UNTIL should be UTC when DTSTART has a time zone (§3.3.10); a floating UNTIL is read as local
///   time and a DATE as the whole local day, rather than refused. The bound is inclusive.
///
/// Where python-dateutil reads §3.3.10 otherwise, this follows the RFC: a BYDAY list mixing
/// numbered and plain days (`BYDAY=1MO,FR`) matches a day that any entry matches, and BYSETPOS in
/// DTSTART's week picks from the whole week, not from DTSTART's weekday on.
///
/// An unbounded rule is safe to query: `occurrences(from:through:)` looks only at the rule's
/// periods in that range (or, for a COUNT rule, from DTSTART to the range's end), and any search
/// ends where the 400-year Gregorian cycle shows that no further period can produce an instance,
/// or at the end of year 9999. So `FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30` ends at once, empty.
public struct RecurrenceSet: Sendable, Sequence {
    public let rule: RecurrenceRule
    /// DTSTART, on the local wall clock: its time of day is every occurrence's unless the rule's
    /// BYHOUR, BYMINUTE or BYSECOND says otherwise.
    public let start: WallClockTime
    public let timeZone: TimeZone
    public let exceptions: [RecurrenceException]
    let expander: RuleExpander

    /// The set of `rule` from `start` (DTSTART, local time in `timeZone`), less `exceptions`.
    public init(rule: RecurrenceRule, start: WallClockTime, timeZone: TimeZone, exceptions: [RecurrenceException] = []) {
        self.rule = rule
        self.start = start
        self.timeZone = timeZone
        self.exceptions = exceptions
        expander = RuleExpander(rule: rule, start: start)
    }

    /// Every occurrence, in the order of the local wall clock (which is the order of their
    /// instants except within an hour a clock change skips). Lazy; a rule without COUNT or UNTIL
    /// runs to the year 9999, so take a `prefix` of it or use `occurrences(from:through:)`.
    public func makeIterator() -> Iterator {
        Iterator(instances: LocalInstances(set: self, firstPeriod: expander.firstPeriod), timeZone: timeZone)
    }

    /// The occurrences whose instants lie in `from...through` (from DTSTART when `from` is nil),
    /// in time order.
    public func occurrences(from: Date? = nil, through: Date) -> [Occurrence] {
        if let from, from > through { return [] }
        let lowest = from.map { WallClockTime($0, in: timeZone).secondsSinceEpoch - Self.clockChangeMargin }
        let highest = WallClockTime(through, in: timeZone).secondsSinceEpoch + Self.clockChangeMargin
        var instances = instances(near: lowest)
        instances.stopAfterSeconds = highest
        var seen: Set<Date> = []
        var result: [Occurrence] = []
        while let local = instances.next() {
            let seconds = local.secondsSinceEpoch
            if seconds > highest { break }
            if let lowest, seconds < lowest { continue }
            let date = local.date(in: timeZone)
            if let from, date < from { continue }
            guard date <= through, seen.insert(date).inserted else { continue }
            result.append(Occurrence(local: local, date: date))
        }
        return result.sorted { $0.date < $1.date }
    }

    /// The first occurrence strictly after `date`, or nil when there is none.
    public func next(after date: Date) -> Occurrence? {
        let lowest = WallClockTime(date, in: timeZone).secondsSinceEpoch - Self.clockChangeMargin
        var instances = instances(near: lowest)
        var best: Occurrence?
        while let local = instances.next() {
            let seconds = local.secondsSinceEpoch
            if seconds < lowest { continue }
            if let best, seconds > best.local.secondsSinceEpoch + Self.clockChangeMargin { break }
            let instant = local.date(in: timeZone)
            guard instant > date else { continue }
            if best == nil || instant < best!.date {
                best = Occurrence(local: local, date: instant)
            }
            // Only a clock change can put a smaller instant behind a later wall-clock time, and not far behind.
            instances.stopAfterSeconds = best!.local.secondsSinceEpoch + Self.clockChangeMargin
        }
        return best
    }

    /// Iterates the instances from the period holding wall-clock second `seconds`, or from
    /// DTSTART when that is later, when there is no such second, or when COUNT must be counted.
    private func instances(near seconds: Int?) -> LocalInstances {
        guard let seconds, rule.count == nil else {
            return LocalInstances(set: self, firstPeriod: expander.firstPeriod)
        }
        return LocalInstances(set: self, firstPeriod: expander.period(containing: Swift.max(seconds, start.secondsSinceEpoch)))
    }

    /// How far (in seconds) a clock change can move an instant from its wall-clock time, with room
    /// to spare: a day, which Samoa skipped in 2011; two, to be safe.
    static let clockChangeMargin = 2 * 86_400

    /// Walks the occurrences of a `RecurrenceSet` in wall-clock order.
    public struct Iterator: IteratorProtocol {
        private var instances: LocalInstances
        private let timeZone: TimeZone
        /// Instants of recent instances moved by a skipped hour, which a later instance may repeat.
        private var movedInstants: Set<Date> = []
        private var lastMoved = Int.min

        init(instances: LocalInstances, timeZone: TimeZone) {
            self.instances = instances
            self.timeZone = timeZone
        }

        /// The next occurrence, or nil after the last.
        public mutating func next() -> Occurrence? {
            while let local = instances.next() {
                let seconds = local.secondsSinceEpoch
                let date = local.date(in: timeZone)
                if seconds > lastMoved + RecurrenceSet.clockChangeMargin { movedInstants.removeAll() }
                if movedInstants.contains(date) { continue }
                if WallClockTime(date, in: timeZone) != local {
                    movedInstants.insert(date)
                    lastMoved = seconds
                }
                return Occurrence(local: local, date: date)
            }
            return nil
        }
    }
}
