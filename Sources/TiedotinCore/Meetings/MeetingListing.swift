import Foundation

/// One line of `tiedotin meetings list`: a meeting with its invitation and reminder state.
public struct MeetingListing: Sendable, Equatable {
    /// What has happened to a meeting, as `meetings list --json` writes it.
    public enum Status: String, Sendable {
        /// Not invited yet.
        case planned
        /// Invitations went out.
        case invited
        /// Invitations went out and an update after them.
        case updated
        /// Called off (or gone from the config after invitations went out).
        case cancelled
        /// Over.
        case past
    }

    public var forumID: String
    public var id: String
    public var uid: String
    public var details: MeetingDetails
    public var agenda: String?
    public var sequence: Int
    public var status: Status
    /// Members sent an invitation, an update, a reminder, a cancellation (each counted once).
    public var invited: Int
    public var updated: Int
    public var reminded: Int
    public var cancelled: Int

    /// Every meeting the store knows, and those the config adds that no pass has planned yet, in start order.
    public static func all(configuration: Configuration, store: Store, now: Date) throws -> [MeetingListing] {
        var listings: [MeetingListing] = []
        var known: Set<String> = []
        for (record, counts) in try MeetingStore(store: store).listing() {
            known.insert(record.id)
            let status: Status
            if record.cancelled {
                status = .cancelled
            } else if record.details.end <= now {
                status = .past
            } else if (counts[.update] ?? 0) > 0 {
                status = .updated
            } else if (counts[.invitation] ?? 0) > 0 {
                status = .invited
            } else {
                status = .planned
            }
            listings.append(MeetingListing(
                forumID: record.forumID, id: record.id, uid: record.uid, details: record.details, agenda: record.agenda,
                sequence: record.sequence, status: status, invited: counts[.invitation] ?? 0, updated: counts[.update] ?? 0,
                reminded: counts[.reminder] ?? 0, cancelled: counts[.cancellation] ?? 0))
        }
        let domain = configuration.mail.from.domain.lowercased()
        for meeting in MeetingCatalog(configuration: configuration).meetings(at: now) where !known.contains(meeting.id) {
            listings.append(MeetingListing(
                forumID: meeting.forumID, id: meeting.id, uid: meeting.id + "@" + domain, details: meeting.details,
                agenda: meeting.agenda, sequence: 0,
                status: meeting.cancelled ? .cancelled : meeting.end <= now ? .past : .planned,
                invited: 0, updated: 0, reminded: 0, cancelled: 0))
        }
        return listings.sorted { ($0.details.start, $0.id) < ($1.details.start, $1.id) }
    }

    /// The meetings that take place and start within `from..<to`, in start order: what the
    /// newsletter's "upcoming meetings" section lists.
    public static func upcoming(configuration: Configuration, store: Store, from: Date, to: Date) throws -> [MeetingListing] {
        try all(configuration: configuration, store: store, now: from).filter {
            $0.status != .cancelled && $0.status != .past && $0.details.start >= from && $0.details.start < to
        }
    }

    /// `ke 10.2.2027 klo 13–15`, in the organisation's language.
    public func when(_ organisation: Configuration.Organisation) -> String {
        MeetingTime(language: organisation.language, timeZone: organisation.timeZone).span(details.start, details.end)
    }

    /// The object `meetings list --json` writes: DESIGN's fields, then `name`, `updated` and `cancelled`.
    public func json(_ timestamp: Timestamp) -> [String: Any] {
        [
            "forum": forumID, "id": id, "uid": uid, "start": timestamp.iso8601(details.start),
            "end": timestamp.iso8601(details.end), "sequence": sequence, "status": status.rawValue, "invited": invited,
            "reminded": reminded, "updated": updated, "cancelled": cancelled, "name": details.name,
        ]
    }
}
