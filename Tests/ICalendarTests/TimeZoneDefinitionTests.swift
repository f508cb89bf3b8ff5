import Foundation
import ICalendar
import TestSupport
import Testing

/// VTIMEZONE components (RFC 5545 §3.6.5) made from Foundation's transitions.
@Suite struct TimeZoneDefinitionTests {
    /// The sub-components of a definition: kind and their logical lines.
    func components(_ definition: TimeZoneDefinition) -> [(kind: String, lines: [String])] {
        var result: [(String, [String])] = []
        var current: (String, [String])?
        for line in Fixtures.logicalLines(definition.text) {
            if line == "BEGIN:STANDARD" || line == "BEGIN:DAYLIGHT" {
                current = (String(line.dropFirst(6)), [])
            } else if line.hasPrefix("END:"), let finished = current, line == "END:" + finished.0 {
                result.append(finished)
                current = nil
            } else if current != nil {
                current!.1.append(line)
            }
        }
        return result
    }

    func value(_ name: String, in lines: [String]) -> String? {
        Fixtures.properties(name, in: lines).first.map { String($0.dropFirst()) }
    }

    /// Foundation's transitions between the start of `first` and the end of `last` (UTC), as the parser reports them.
    func foundationTransitions(_ zone: TimeZone, years: ClosedRange<Int>) -> [ParsedCalendar.Transition] {
        var result: [ParsedCalendar.Transition] = []
        var cursor = Fixtures.utc(years.lowerBound, 1, 1, 0)
        let end = Fixtures.utc(years.upperBound + 1, 1, 1, 0)
        let formatter = ISO8601DateFormatter()
        while let next = zone.nextDaylightSavingTimeTransition(after: cursor), next < end {
            let offset = zone.secondsFromGMT(for: next)
            let sign = offset < 0 ? "-" : "+"
            let hours = abs(offset) / 3600
            let minutes = abs(offset) / 60 % 60
            result.append(.init(utc: formatter.string(from: next), offset: sign + (hours < 10 ? "0" : "") + "\(hours)" + (minutes < 10 ? "0" : "") + "\(minutes)", name: nil))
            cursor = next
        }
        return result
    }

    /// The parser's reading of the definition alone, restricted to the given years, names left out.
    func parsedTransitions(_ definition: TimeZoneDefinition, years: ClosedRange<Int>) throws -> [ParsedCalendar.Transition] {
        let calendar = "BEGIN:VCALENDAR\r\nPRODID:-//Pohde//test//FI\r\nVERSION:2.0\r\n" + definition.text + "END:VCALENDAR\r\n"
        let parsed = try CalendarParser.parse(calendar)
        #expect(parsed.errors == [])
        let zone = try #require(parsed.timezones.first)
        #expect(zone.tzid == definition.identifier)
        return zone.transitions
            .filter { years.contains(Int($0.utc.prefix(4))!) }
            .map { .init(utc: $0.utc, offset: $0.offset, name: nil) }
    }

    @Test("Europe/Helsinki is the well-known EET/EEST definition: +0200/+0300, last Sunday of March 03:00, last Sunday of October 04:00")
    func helsinki() throws {
        let definition = try TimeZoneDefinition(timeZone: Fixtures.helsinki, years: 2027...2027)
        let lines = Fixtures.logicalLines(definition.text)
        #expect(lines.first == "BEGIN:VTIMEZONE" && lines.last == "END:VTIMEZONE")
        #expect(lines.contains("TZID:Europe/Helsinki"))
        let parts = components(definition)
        #expect(parts.map(\.kind).sorted() == ["DAYLIGHT", "STANDARD"])

        let daylight = try #require(parts.first { $0.kind == "DAYLIGHT" }).lines
        #expect(value("TZOFFSETFROM", in: daylight) == "+0200")
        #expect(value("TZOFFSETTO", in: daylight) == "+0300")
        #expect(value("TZNAME", in: daylight) == "EEST")
        #expect(value("RRULE", in: daylight) == "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU")
        // DTSTART is the local time in the old offset: the last Sunday of March (29 March 2026), 03:00.
        #expect(value("DTSTART", in: daylight) == "20260329T030000")

        let standard = try #require(parts.first { $0.kind == "STANDARD" }).lines
        #expect(value("TZOFFSETFROM", in: standard) == "+0300")
        #expect(value("TZOFFSETTO", in: standard) == "+0200")
        #expect(value("TZNAME", in: standard) == "EET")
        #expect(value("RRULE", in: standard) == "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU")
        #expect(value("DTSTART", in: standard) == "20261025T040000")
        #expect(Fixtures.properties("RDATE", in: lines).isEmpty)

        // The parser, reading only these lines, finds Foundation's transitions for 2026–2028.
        #expect(try parsedTransitions(definition, years: 2026...2028) == foundationTransitions(Fixtures.helsinki, years: 2026...2028))
    }

    @Test("Zones without daylight saving time (Asia/Tokyo, UTC) get a single STANDARD whose offset does not change")
    func zonesWithoutDaylightSaving() throws {
        for (identifier, offset, name) in [("Asia/Tokyo", "+0900", "JST"), ("UTC", "+0000", "GMT")] {
            let zone = try #require(TimeZone(identifier: identifier))
            let definition = try TimeZoneDefinition(timeZone: zone, years: 2027...2027)
            let parts = components(definition)
            #expect(parts.map(\.kind) == ["STANDARD"], "\(identifier)")
            let lines = try #require(parts.first).lines
            #expect(value("TZOFFSETFROM", in: lines) == offset && value("TZOFFSETTO", in: lines) == offset, "\(identifier)")
            #expect(value("TZNAME", in: lines) == name, "\(identifier)")
            #expect(value("RRULE", in: lines) == nil && value("RDATE", in: lines) == nil, "\(identifier)")
            #expect(try parsedTransitions(definition, years: 2026...2028).allSatisfy { $0.offset == offset }, "\(identifier)")
        }
    }

    @Test("Southern hemisphere (Australia/Sydney): daylight saving from the first Sunday of October to the first Sunday of April")
    func sydney() throws {
        let zone = try #require(TimeZone(identifier: "Australia/Sydney"))
        let definition = try TimeZoneDefinition(timeZone: zone, years: 2027...2027)
        let parts = components(definition)
        let daylight = try #require(parts.first { $0.kind == "DAYLIGHT" }).lines
        #expect(value("RRULE", in: daylight) == "FREQ=YEARLY;BYMONTH=10;BYDAY=1SU")
        #expect(value("TZOFFSETTO", in: daylight) == "+1100" && value("TZNAME", in: daylight) == "AEDT")
        let standard = try #require(parts.first { $0.kind == "STANDARD" }).lines
        #expect(value("RRULE", in: standard) == "FREQ=YEARLY;BYMONTH=4;BYDAY=1SU")
        #expect(try parsedTransitions(definition, years: 2026...2028) == foundationTransitions(zone, years: 2026...2028))
    }

    @Test("When the rule changes within the years (America/New_York, 2007) the onsets are listed as RDATEs, and still right")
    func ruleChangeGivesRDATEs() throws {
        let zone = try #require(TimeZone(identifier: "America/New_York"))
        let definition = try TimeZoneDefinition(timeZone: zone, years: 2006...2007)
        let parts = components(definition)
        let daylight = try #require(parts.first { $0.kind == "DAYLIGHT" }).lines
        #expect(value("RRULE", in: daylight) == nil)
        // 2006: first Sunday of April; from 2007: second Sunday of March.
        #expect(value("RDATE", in: daylight)?.contains("20060402T020000,20070311T020000") == true)
        #expect(value("TZNAME", in: daylight) == "EDT")
        #expect(try parsedTransitions(definition, years: 2005...2008) == foundationTransitions(zone, years: 2005...2008))
    }

    @Test("A rule that ended within the years gets an UNTIL (America/Sao_Paulo gave up daylight saving in 2019)")
    func endedRuleGetsUntil() throws {
        let zone = try #require(TimeZone(identifier: "America/Sao_Paulo"))
        let definition = try TimeZoneDefinition(timeZone: zone, years: 2019...2019)
        let standard = try #require(components(definition).first { $0.kind == "STANDARD" }).lines
        #expect(value("RRULE", in: standard) == "FREQ=YEARLY;BYMONTH=2;BYDAY=3SU;UNTIL=20190217T020000Z")
        let parsed = try parsedTransitions(definition, years: 2018...2030)
        #expect(parsed == foundationTransitions(zone, years: 2018...2030))
        #expect(parsed.last?.utc == "2019-02-17T02:00:00Z")
    }

    @Test("covers: the local years of the definition, and the years a DATE-TIME can carry")
    func coverage() throws {
        let definition = try TimeZoneDefinition(timeZone: Fixtures.helsinki, years: 2027...2027)
        #expect(definition.covers(Fixtures.helsinkiTime(2027, 1, 1, 0)))
        #expect(definition.covers(Fixtures.helsinkiTime(2027, 12, 31, 23, 59)))
        #expect(!definition.covers(Fixtures.helsinkiTime(2026, 12, 31, 23, 59)))
        #expect(!definition.covers(Fixtures.helsinkiTime(2028, 1, 1, 0)))
        #expect(throws: ICalendarError.yearsOutOfRange(9998...9999)) {
            try TimeZoneDefinition(timeZone: Fixtures.helsinki, years: 9998...9999)
        }
        let invitation = Fixtures.winterMeeting()
        #expect(try invitation.timeZoneDefinition().years == 2027...2027)
    }
}
