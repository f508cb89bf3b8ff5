import Foundation

/// One meeting as the config wants it now: a listed meeting or one occurrence of a forum's
/// recurrence, with the forum's defaults filled in.
public struct PlannedMeeting: Sendable, Equatable {
    /// Stable: the listed id, or `FORUM-YYYYMMDD` (the local date) for an occurrence.
    public var id: String
    public var forumID: String
    /// The title calendars show: the forum's name.
    public var name: String
    public var start: Date
    public var end: Date
    public var location: String?
    public var url: URL?
    public var agenda: String?
    /// `cancelled: true` in the config.
    public var cancelled: Bool

    public init(
        id: String, forumID: String, name: String, start: Date, end: Date, location: String? = nil, url: URL? = nil,
        agenda: String? = nil, cancelled: Bool = false
    ) {
        self.id = id
        self.forumID = forumID
        self.name = name
        self.start = start
        self.end = end
        self.location = location
        self.url = url
        self.agenda = agenda
        self.cancelled = cancelled
    }

    /// The details whose change sends an update to everyone invited (time, duration, place, link,
    /// name); the agenda is not among them, so fixing a typo in it does not mail the whole forum.
    public var details: MeetingDetails {
        MeetingDetails(start: start, end: end, name: name, location: location, url: url?.absoluteString)
    }
}

/// What a member's calendar copy of a meeting shows: the details an update is sent for.
public struct MeetingDetails: Sendable, Equatable {
    public var start: Date
    public var end: Date
    public var name: String
    public var location: String?
    public var url: String?

    public init(start: Date, end: Date, name: String, location: String?, url: String?) {
        self.start = start
        self.end = end
        self.name = name
        self.location = location
        self.url = url
    }

    /// A short digest of the details, kept in `meeting.fingerprint`, so a look at the row says
    /// whether the config still agrees with what was sent.
    var fingerprint: String {
        let text = [
            String(Int64(start.timeIntervalSince1970)), String(Int64(end.timeIntervalSince1970)), name, location ?? "",
            url ?? "",
        ].joined(separator: "\u{1F}")
        // FNV-1a, 64 bits: not for security, only to notice a change.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}
