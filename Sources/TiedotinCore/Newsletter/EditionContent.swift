import Foundation

/// What one edition holds: the items grouped by the configured sections, in config order, each
/// section sorted by event date (undated last), then title; and the upcoming meetings after them.
public struct EditionContent: Sendable {
    /// One section with items; sections without items are left out.
    public struct Section: Sendable {
        public var id: String
        public var title: String
        public var items: [NewsletterItem]
    }

    public var sections: [Section]
    public var meetings: [UpcomingMeeting]

    /// Every item, in the order the edition shows them.
    public var items: [NewsletterItem] { sections.flatMap(\.items) }

    /// True when no item is in it: such an edition is not sent (meetings alone do not make one).
    public var isEmpty: Bool { sections.isEmpty }

    /// Picks, out of the items no edition has published, those whose `publish_until` (a local date)
    /// is not before the local date of `sendTime`, and arranges them by `sections`. An item of a
    /// section the config no longer has comes last, under its section id, rather than wait forever.
    public static func compile(
        waiting: [NewsletterItem], sections configured: [Configuration.Newsletter.Section], meetings: [UpcomingMeeting],
        sendTime: Date, timeZone: TimeZone
    ) -> EditionContent {
        let sendDay = localDay(sendTime, timeZone: timeZone)
        let items = waiting.filter { $0.editionID == nil && ($0.publishUntil.map { $0 >= sendDay } ?? true) }
        var order = configured.map { ($0.id, $0.title) }
        for item in items where !order.contains(where: { $0.0 == item.section }) {
            order.append((item.section, item.section))
        }
        let sections = order.compactMap { id, title -> Section? in
            let chosen = items.filter { $0.section == id }.sorted(by: comesBefore)
            return chosen.isEmpty ? nil : Section(id: id, title: title, items: chosen)
        }
        return EditionContent(sections: sections, meetings: meetings)
    }

    /// By event date (undated after dated), then by title as a reader sorts, then by arrival.
    static func comesBefore(_ first: NewsletterItem, _ second: NewsletterItem) -> Bool {
        switch (first.eventDate, second.eventDate) {
        case let (one?, two?) where one != two: return one < two
        case (nil, _?): return false
        case (_?, nil): return true
        default: break
        }
        let order = first.title.localizedStandardCompare(second.title)
        if order != .orderedSame { return order == .orderedAscending }
        return (first.id ?? 0) < (second.id ?? 0)
    }

    /// `YYYY-MM-DD` of `date` in `timeZone`.
    static func localDay(_ date: Date, timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
    }
}
