import Foundation
import Recurrence

/// The meetings the config asks for at a given time: every listed meeting, and each forum's
/// recurrence expanded over the planning horizon (DESIGN: 18 months ahead).
///
/// An occurrence is named `FORUM-YYYYMMDD` after its local date, so a rule change that keeps a
/// date keeps the meeting (its members get an update), and a date the rule no longer gives is a
/// meeting gone (its members get a cancellation). A listed meeting with the same id as an
/// occurrence takes its place: that is how one occurrence is moved or cancelled.
public struct MeetingCatalog: Sendable {
    /// How far ahead recurrences are planned, in months.
    public static let horizonMonths = 18

    public let configuration: Configuration

    public init(configuration: Configuration) {
        self.configuration = configuration
    }

    /// Every meeting of every forum that ends after `now` or starts within the horizon, in start order.
    /// Past listed meetings are kept too (the store shows them as past), recurrences only from `now` on.
    public func meetings(at now: Date) -> [PlannedMeeting] {
        configuration.forums.flatMap { meetings(of: $0, at: now) }.sorted { ($0.start, $0.id) < ($1.start, $1.id) }
    }

    /// The meetings of one forum.
    func meetings(of forum: Configuration.Forum, at now: Date) -> [PlannedMeeting] {
        let timeZone = configuration.organisation.timeZone
        var byID: [String: PlannedMeeting] = [:]
        var order: [String] = []
        func add(_ meeting: PlannedMeeting) {
            if byID.updateValue(meeting, forKey: meeting.id) == nil { order.append(meeting.id) }
        }
        if let recurrence = forum.recurrence, let rule = try? RecurrenceRule(parsing: recurrence.rule),
           let start = WallClockTime(recurrence.start) {
            let set = RecurrenceSet(
                rule: rule, start: start, timeZone: timeZone, exceptions: recurrence.except.compactMap(RecurrenceException.init))
            let lookBack = now.addingTimeInterval(-forum.duration.timeInterval)
            for occurrence in set.occurrences(from: lookBack, through: horizon(from: now)) {
                var id = Self.occurrenceID(forum: forum.id, date: occurrence.local.date)
                // Two occurrences on one day (BYHOUR=9,13): the later one is told apart by its time.
                if byID[id] != nil {
                    id += String(format: "-%02d%02d", occurrence.local.hour, occurrence.local.minute)
                }
                add(PlannedMeeting(
                    id: id, forumID: forum.id, name: forum.name, start: occurrence.date,
                    end: occurrence.date.addingTimeInterval(forum.duration.timeInterval), location: forum.location,
                    url: forum.url))
            }
        }
        for listed in forum.meetings {
            guard let local = WallClockTime(listed.start) else { continue }
            let start = local.date(in: timeZone)
            let duration = (listed.duration ?? forum.duration).timeInterval
            add(PlannedMeeting(
                id: listed.id ?? Self.occurrenceID(forum: forum.id, date: local.date), forumID: forum.id, name: forum.name,
                start: start, end: start.addingTimeInterval(duration), location: listed.location ?? forum.location,
                url: listed.url ?? forum.url, agenda: listed.agenda, cancelled: listed.cancelled))
        }
        return order.compactMap { byID[$0] }
    }

    /// The end of the planning horizon seen from `now`: 18 months on the organisation's calendar.
    public func horizon(from now: Date) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = configuration.organisation.timeZone
        return calendar.date(byAdding: .month, value: Self.horizonMonths, to: now) ?? now.addingTimeInterval(548 * 86_400)
    }

    /// `FORUM-YYYYMMDD`.
    public static func occurrenceID(forum: String, date: CalendarDate) -> String {
        forum + "-" + String(format: "%04d%02d%02d", date.year, date.month, date.day)
    }
}

extension WallClockTime {
    /// The config's local date-time on the wall clock; a date alone is its midnight.
    init?(_ local: LocalDateTime) {
        self.init(year: local.year, month: local.month, day: local.day, hour: local.hour ?? 0, minute: local.minute ?? 0)
    }
}

extension RecurrenceException {
    /// `except:` entries: a date leaves out that day, a date-time the occurrence at that time.
    init?(_ local: LocalDateTime) {
        if local.hasTime {
            guard let time = WallClockTime(local) else { return nil }
            self = .time(time)
        } else {
            guard let date = CalendarDate(year: local.year, month: local.month, day: local.day) else { return nil }
            self = .date(date)
        }
    }
}
