import Foundation
import ICalendar
import MIME

/// Writes one member's message about one meeting: the subject and texts from the admin's
/// templates, the calendar (REQUEST or CANCEL) with that member as the one ATTENDEE, and the
/// MIME structure calendars expect:
/// `multipart/mixed` [`multipart/alternative` [text/plain, text/html, text/calendar], invite.ics].
///
/// Each message is its own outbox send. The ATTENDEE line is the one personal part of the body, but
/// it sits inside an iCalendar content line folded at 75 octets (its CN parameter quoted and in
/// UTF-8) and again inside the base64 `invite.ics`: a byte substitution at send time would break
/// the folding and cannot reach into base64. A body per member costs little beside that: under a
/// millisecond each, so the bench's 50 forums of 1,000 members are planned in well under a minute
/// (BENCHMARKS.md), and each calendar is exactly what `ICalendar` wrote.
public struct MeetingComposer: Sendable {
    public let configuration: Configuration
    public let templates: TemplateLibrary

    /// The templates each kind of message needs: `KIND.subject`, `KIND.txt`, `KIND.html`.
    public static let templateNames = NoticeKind.allCases.flatMap { kind in
        ["subject", "txt", "html"].map { "\(kind.rawValue).\($0)" }
    }

    public init(configuration: Configuration) {
        self.configuration = configuration
        templates = TemplateLibrary(folder: configuration.paths.templates)
    }

    /// What changed between the copy a member holds and the current version.
    struct Change {
        enum What: String { case time, place, link, name }
        var what: What
        var old: String
        var new: String
    }

    /// What one pass works out once per meeting rather than once per member.
    struct PassCache {
        /// Each meeting's VTIMEZONE: working it out from Foundation's transitions costs more than
        /// the rest of a message.
        var zones: [String: TimeZoneDefinition] = [:]
        /// Each meeting's time as members read it: a `DateFormatter` made for every message was a
        /// tenth of planning a forum's invitations.
        var spans: [String: String] = [:]
    }

    /// The outbox send of one order: one message to one member. `cache` keeps what the meeting's
    /// other messages in the same pass share.
    func send(
        _ order: MeetingPlanner.Order, meeting: MeetingRecord, previous: MeetingDetails?, at now: Date,
        cache: inout PassCache
    ) throws -> OutboxSend {
        let organisation = configuration.organisation
        let details = meeting.details
        let time = MeetingTime(language: organisation.language, timeZone: organisation.timeZone)
        let when = cache.spans[meeting.id] ?? time.span(details.start, details.end)
        cache.spans[meeting.id] = when
        let changes = previous.map { differences(from: $0, to: details, time: time) } ?? []
        let forum = configuration.forums.first { $0.id == meeting.forumID }
        let organizer = forum?.organizer ?? configuration.mail.from

        var context: [String: Any] = [
            "language": organisation.language.rawValue,
            organisation.language == .swedish ? "sv" : "fi": true,
            "organisation": organisation.name,
            "name": details.name,
            "when": when,
            "organizer": organizer.displayName ?? organizer.address,
            "organizer_email": organizer.address,
        ]
        // A cancellation of one member's copy while the meeting goes on: they left the invitee networks.
        if order.kind == .cancellation, !meeting.cancelled { context["left"] = true }
        if let location = details.location { context["location"] = location }
        if let url = details.url { context["url"] = url }
        if let agenda = meeting.agenda { context["agenda"] = agenda }
        if !changes.isEmpty {
            context["changes"] = changes.map { ["\($0.what.rawValue)Changed": true, "old": $0.old, "new": $0.new] as [String: Any] }
        }
        let kind = order.kind.rawValue
        let subject = try templates.render("\(kind).subject", context)
            .split(whereSeparator: \.isNewline).joined(separator: " ").trimmingCharacters(in: .whitespaces)
        context["subject"] = subject
        let text = try templates.render("\(kind).txt", context)
        let html = try templates.render("\(kind).html", context)

        let calendar = try self.calendar(order, meeting: meeting, organizer: organizer, at: now)
        let method = calendar.method.rawValue
        let zone = try cache.zones[meeting.id] ?? calendar.timeZoneDefinition()
        cache.zones[meeting.id] = zone
        let ics = try calendar.render(using: zone)
        let body = try MIMEPart.mixed([
            .alternative([.plain(text), .html(html), .calendar(ics, method: method)]),
            .attachment(Array(ics.utf8), contentType: "application/ics", filename: "invite.ics"),
        ]).entity

        let shared = try SharedHeaders(
            from: configuration.mail.from, replyTo: configuration.mail.replyTo, subject: subject, date: now,
            timeZone: organisation.timeZone, extra: [.autoGenerated])
        let to = try EmailAddress(address: order.email, displayName: order.name)
        let mail = configuration.mail
        return OutboxSend(
            kind: "meeting-\(kind)", subject: subject, body: body, meetingID: meeting.id,
            messages: [OutboxMessage(
                recipient: order.email, envelopeSender: BounceAddress.envelopeSender(token: nil, mail: mail),
                header: try shared.render(to: to))])
    }

    /// The iCalendar object for one member.
    func calendar(_ order: MeetingPlanner.Order, meeting: MeetingRecord, organizer: EmailAddress, at now: Date) throws -> CalendarInvitation {
        let details = meeting.details
        let organisation = configuration.organisation
        return CalendarInvitation(
            method: order.kind == .cancellation ? .cancel : .request, uid: meeting.uid, sequence: order.sequence, stamp: now,
            start: details.start, end: details.end, timeZone: organisation.timeZone, summary: details.name,
            location: details.location, description: meeting.agenda, url: details.url.flatMap(URL.init(string:)),
            organizer: Self.calendarAddress(organizer),
            attendee: Self.calendarAddress(try EmailAddress(address: order.email, displayName: order.name)),
            productID: "-//\(organisation.name)//tiedotin//\(organisation.language.rawValue.uppercased())")
    }

    /// A mail address as a calendar address: an internationalised domain in its `xn--` form.
    static func calendarAddress(_ address: EmailAddress) -> CalendarAddress {
        let local = address.address.prefix { $0 != "@" }
        let domain = Punycode.asciiDomain(address.domain) ?? address.domain
        return CalendarAddress(name: address.displayName, email: "\(local)@\(domain)")
    }

    private func differences(from old: MeetingDetails, to new: MeetingDetails, time: MeetingTime) -> [Change] {
        var changes: [Change] = []
        if old.start != new.start || old.end != new.end {
            changes.append(Change(what: .time, old: time.span(old.start, old.end), new: time.span(new.start, new.end)))
        }
        if old.location != new.location { changes.append(Change(what: .place, old: old.location ?? "–", new: new.location ?? "–")) }
        if old.url != new.url { changes.append(Change(what: .link, old: old.url ?? "–", new: new.url ?? "–")) }
        if old.name != new.name { changes.append(Change(what: .name, old: old.name, new: new.name)) }
        return changes
    }
}
