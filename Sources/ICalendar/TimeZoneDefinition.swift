import Foundation

/// A VTIMEZONE component (RFC 5545 §3.6.5) for one Foundation `TimeZone` over a range of years, made from
/// the zone's actual transitions and written once, so that hundreds of invitations can share it.
///
/// Transitions are looked for from the year before the first to the year after the last, so that every
/// time in the range lies after an onset the component states (a time before the first onset has no
/// defined offset) and a yearly pattern shows over at least three years. Onsets of one kind that fall on
/// the same last or nth weekday of a month become one `RRULE` (Europe/Helsinki: the well-known EET/EEST
/// definition, last Sunday of March 03:00 and last Sunday of October 04:00); irregular ones are listed
/// as `RDATE`s. A zone without transitions in the range gets a single STANDARD (or DAYLIGHT) observance.
public struct TimeZoneDefinition: Sendable, Equatable {
    /// The zone's identifier, e.g. `Europe/Helsinki`: the TZID of the component and of the times using it.
    public let identifier: String
    /// The years (in the zone's local time) whose times this definition can state.
    public let years: ClosedRange<Int>
    /// The whole `BEGIN:VTIMEZONE` … `END:VTIMEZONE` block, CRLF line breaks, folded.
    public var text: String { String(decoding: written, as: UTF8.self) }

    let observances: [TimeZoneObservance]
    /// `TZID=...` for DTSTART and DTEND.
    let timeZoneParameter: ContentLineWriter.Parameter
    /// The real offset changes, in time order, for finding the offset of a time without asking Foundation.
    private let transitions: [TimeZoneObservance.Transition]
    /// The offset before the first transition.
    private let initialOffset: Int
    /// The folded lines of the component.
    let written: [UInt8]

    /// The years a definition can be made for: Gregorian years from 1601 (before that, countries
    /// adopted the calendar at different times) to 9998 (the year after, also searched, must still be
    /// written with four digits).
    public static let supportedYears = 1601...9998

    /// The definition for `timeZone` covering the given years of its local time.
    public init(timeZone: TimeZone, years: ClosedRange<Int>) throws(ICalendarError) {
        guard Self.supportedYears.contains(years.lowerBound), Self.supportedYears.contains(years.upperBound) else {
            throw .yearsOutOfRange(years)
        }
        try SingleLineValue.checkNonEmpty(timeZone.identifier, property: "TZID")
        identifier = timeZone.identifier
        timeZoneParameter = try ContentLineWriter.Parameter("TZID", identifier, property: "DTSTART")
        self.years = years

        let windowStart = CivilTime.secondsSinceEpoch(startOfYear: years.lowerBound - 1)
        let windowEnd = CivilTime.secondsSinceEpoch(startOfYear: years.upperBound + 2)
        // No zone is ahead of UTC by more than 14 hours: local January 1 of the first year starts after this.
        let rangeStart = CivilTime.secondsSinceEpoch(startOfYear: years.lowerBound) - 14 * 3600
        let zoneFile = ZoneInfoFile(identifier: timeZone.identifier)
        func name(at date: Date, offset: Int, isDaylightSaving: Bool) -> String? {
            let instant = Int64(date.timeIntervalSince1970.rounded(.down))
            return zoneFile?.abbreviation(at: instant, offset: offset, isDaylightSaving: isDaylightSaving)
                ?? timeZone.abbreviation(for: date)
        }

        var found: [TimeZoneObservance.Transition] = []
        var cursor = Date(timeIntervalSince1970: TimeInterval(windowStart - 1))
        // Zones change at most a few times a year; the bound only guards against a Foundation that keeps
        // answering the same date.
        var remaining = (years.count + 2) * 12 + 16
        while remaining > 0, let next = timeZone.nextDaylightSavingTimeTransition(after: cursor), next > cursor,
            next.timeIntervalSince1970 < TimeInterval(windowEnd)
        {
            remaining -= 1
            cursor = next
            let before = next.addingTimeInterval(-1)
            let offsetFrom = timeZone.secondsFromGMT(for: before)
            let offsetTo = timeZone.secondsFromGMT(for: next)
            let isDaylightSaving = timeZone.isDaylightSavingTime(for: next)
            // Foundation may report changes of name or of the standard/daylight split that leave the
            // clock alone; only a change of offset or of kind makes an observance.
            guard offsetFrom != offsetTo || isDaylightSaving != timeZone.isDaylightSavingTime(for: before) else { continue }
            found.append(
                TimeZoneObservance.Transition(
                    instant: Int64(next.timeIntervalSince1970.rounded()), offsetFrom: offsetFrom, offsetTo: offsetTo,
                    isDaylightSaving: isDaylightSaving,
                    name: name(at: next, offset: offsetTo, isDaylightSaving: isDaylightSaving)))
        }

        var stated = found
        if (found.first?.instant ?? .max) > rangeStart {
            // Nothing changed in the year before the range: state the offset then in force from the
            // start of the search on, as an observance whose offset does not change.
            let start = Date(timeIntervalSince1970: TimeInterval(windowStart))
            let offset = timeZone.secondsFromGMT(for: start)
            let isDaylightSaving = timeZone.isDaylightSavingTime(for: start)
            stated.insert(
                TimeZoneObservance.Transition(
                    instant: windowStart, offsetFrom: offset, offsetTo: offset, isDaylightSaving: isDaylightSaving,
                    name: name(at: start, offset: offset, isDaylightSaving: isDaylightSaving)),
                at: 0)
        }
        transitions = found
        initialOffset = stated[0].offsetFrom
        observances = TimeZoneObservance.observances(for: stated, lastYear: years.upperBound + 1)

        var writer = ContentLineWriter(reservingCapacity: 512)
        writer.begin("VTIMEZONE")
        writer.text("TZID", identifier)
        for observance in observances { observance.write(to: &writer) }
        writer.end("VTIMEZONE")
        written = writer.bytes
    }

    /// The definition for `timeZone` covering the local years of `start` through `end`.
    public init(timeZone: TimeZone, from start: Date, to end: Date) throws(ICalendarError) {
        let first = try Self.localYear(of: min(start, end), in: timeZone, property: "DTSTART")
        let last = try Self.localYear(of: max(start, end), in: timeZone, property: "DTEND")
        try self.init(timeZone: timeZone, years: first...last)
    }

    /// Whether `date` falls, in the zone's local time, within the years of the definition.
    public func covers(_ date: Date) -> Bool {
        guard let instant = Self.seconds(date) else { return false }
        return years.contains(CivilTime(secondsSinceEpoch: instant + Int64(offset(at: instant))).year)
    }

    /// The zone's offset from UTC at `instant`, from the transitions found.
    func offset(at instant: Int64) -> Int {
        guard let index = lastTransitionIndex(atOrBefore: instant) else { return initialOffset }
        return transitions[index].offsetTo
    }

    /// How `date` is written with this zone's TZID: as local wall-clock time, or, for an instant in the
    /// hour a zone repeats when its clocks go back and after the first pass through it, as UTC, since
    /// §3.3.5 reads an ambiguous local time as its first occurrence.
    func dateTime(for date: Date, property: String) throws(ICalendarError) -> DateTimeValue {
        guard let instant = Self.seconds(date), covers(date) else {
            throw .outsideTimeZoneDefinition(property: property, date: date, timeZone: identifier, years: years)
        }
        if let index = lastTransitionIndex(atOrBefore: instant) {
            let transition = transitions[index]
            let repeated = transition.offsetFrom - transition.offsetTo
            if repeated > 0, instant - transition.instant < Int64(repeated) {
                return .utc(CivilTime(secondsSinceEpoch: instant))
            }
        }
        return .local(CivilTime(secondsSinceEpoch: instant + Int64(offset(at: instant))))
    }

    /// A DATE-TIME as written: local with TZID, or UTC with a `Z`.
    enum DateTimeValue: Equatable {
        case local(CivilTime)
        case utc(CivilTime)
    }

    private func lastTransitionIndex(atOrBefore instant: Int64) -> Int? {
        var low = 0
        var high = transitions.count
        while low < high {
            let middle = (low + high) / 2
            if transitions[middle].instant <= instant { low = middle + 1 } else { high = middle }
        }
        return low == 0 ? nil : low - 1
    }

    /// Whole seconds since 1970 for a date within the years 1–9999, else nil.
    static func seconds(_ date: Date) -> Int64? {
        let interval = date.timeIntervalSince1970
        guard interval.isFinite, interval >= -62_135_596_800, interval < 253_402_300_800 else { return nil }
        return Int64(interval.rounded(.down))
    }

    private static func localYear(of date: Date, in timeZone: TimeZone, property: String) throws(ICalendarError) -> Int {
        guard let instant = seconds(date) else { throw .dateOutOfRange(property: property, date: date) }
        return CivilTime(secondsSinceEpoch: instant + Int64(timeZone.secondsFromGMT(for: date))).year
    }
}
