import Foundation
import Recurrence

/// When editions of the newsletter fall due: `newsletter.schedule`, an RRULE read from
/// 2000-01-01T00:00 local time in `organisation.timezone` (its BYHOUR/BYMINUTE give the send time).
public struct NewsletterSchedule: Sendable {
    private let editions: RecurrenceSet

    /// The schedule of the config; the rule was checked when the config was loaded.
    public init(_ configuration: Configuration) throws(RecurrenceRuleError) {
        let rule = try RecurrenceRule(parsing: configuration.newsletter.schedule)
        editions = RecurrenceSet(
            rule: rule, start: WallClockTime(year: 2000, month: 1, day: 1)!,
            timeZone: configuration.organisation.timeZone)
    }

    /// The first edition after `date`, if the rule has one.
    public func nextEdition(after date: Date) -> Date? {
        editions.next(after: date)?.date
    }
}
