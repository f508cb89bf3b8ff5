/// One STANDARD or DAYLIGHT sub-component of a VTIMEZONE (RFC 5545 §3.6.5): the onsets at which the
/// zone moved from one offset to another, as one yearly rule when they follow one, else as RDATEs.
struct TimeZoneObservance: Sendable, Equatable {
    /// An offset change: when (UTC), from which offset, to which, and what the new local time is called.
    struct Transition: Sendable, Equatable {
        var instant: Int64
        var offsetFrom: Int
        var offsetTo: Int
        var isDaylightSaving: Bool
        var name: String?

        /// The wall-clock time of the onset in the offset in force before it (§3.6.5: DTSTART and RDATE
        /// of an observance are local times in TZOFFSETFROM).
        var localOnset: CivilTime { CivilTime(secondsSinceEpoch: instant + Int64(offsetFrom)) }
    }

    var isDaylightSaving: Bool
    var offsetFrom: Int
    var offsetTo: Int
    var name: String?
    /// Local onsets, the first being DTSTART.
    var onsets: [CivilTime]
    /// The RRULE value, or nil when the onsets are written as RDATEs.
    var rule: String?

    /// The observances for transitions in time order: transitions with the same kind, offsets and name
    /// become one observance. `lastYear` is the last year the transitions were looked for in: a rule
    /// whose last onset is earlier ended, so it gets an UNTIL.
    static func observances(for transitions: [Transition], lastYear: Int) -> [TimeZoneObservance] {
        var groups: [[Transition]] = []
        for transition in transitions {
            if let index = groups.firstIndex(where: { group in
                let first = group[0]
                return first.isDaylightSaving == transition.isDaylightSaving && first.offsetFrom == transition.offsetFrom
                    && first.offsetTo == transition.offsetTo && first.name == transition.name
            }) {
                groups[index].append(transition)
            } else {
                groups.append([transition])
            }
        }
        return groups.map { group in
            let first = group[0]
            let onsets = group.map(\.localOnset)
            var rule = yearlyRule(onsets)
            if rule != nil, let last = group.last, onsets[onsets.count - 1].year < lastYear {
                // §3.3.10: in STANDARD and DAYLIGHT the UNTIL is always a UTC date-time.
                rule! += ";UNTIL=" + CivilTime(secondsSinceEpoch: last.instant).compact + "Z"
            }
            return TimeZoneObservance(
                isDaylightSaving: first.isDaylightSaving, offsetFrom: first.offsetFrom, offsetTo: first.offsetTo,
                name: first.name, onsets: onsets, rule: rule)
        }
    }

    /// `FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU` when the onsets fall in consecutive years on the same
    /// last or nth weekday of the same month at the same time of day; nil otherwise or for a single onset.
    static func yearlyRule(_ onsets: [CivilTime]) -> String? {
        guard onsets.count >= 2 else { return nil }
        let first = onsets[0]
        for (index, onset) in onsets.enumerated() {
            guard onset.year == first.year + index, onset.month == first.month, onset.weekday == first.weekday,
                onset.secondOfDay == first.secondOfDay
            else { return nil }
        }
        let ordinal: Int
        if onsets.allSatisfy({ $0.day + 7 > CivilTime.daysInMonth(year: $0.year, month: $0.month) }) {
            ordinal = -1
        } else {
            let nth = (first.day - 1) / 7 + 1
            guard onsets.allSatisfy({ ($0.day - 1) / 7 + 1 == nth }) else { return nil }
            ordinal = nth
        }
        return "FREQ=YEARLY;BYMONTH=\(first.month);BYDAY=\(ordinal)\(weekdayCodes[first.weekday])"
    }

    private static let weekdayCodes = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"]

    /// Writes the sub-component.
    func write(to writer: inout ContentLineWriter) {
        let component = isDaylightSaving ? "DAYLIGHT" : "STANDARD"
        writer.begin(component)
        writer.raw("DTSTART", onsets[0].compact)
        writer.raw("TZOFFSETFROM", UTCOffset.format(offsetFrom))
        writer.raw("TZOFFSETTO", UTCOffset.format(offsetTo))
        if let name { writer.text("TZNAME", name) }
        if let rule {
            writer.raw("RRULE", rule)
        } else if onsets.count > 1 {
            writer.raw("RDATE", onsets.dropFirst().map(\.compact).joined(separator: ","))
        }
        writer.end(component)
    }
}
