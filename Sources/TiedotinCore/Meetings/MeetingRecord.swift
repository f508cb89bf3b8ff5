import Foundation

/// A meeting as the store keeps it: its details as last planned, the revision members' copies
/// are at, and whether it is called off.
public struct MeetingRecord: Sendable, Equatable {
    public var id: String
    public var forumID: String
    /// The iCalendar UID, `ID@SENDER-DOMAIN`: the same in every message about the meeting.
    public var uid: String
    public var details: MeetingDetails
    public var agenda: String?
    /// The iCalendar SEQUENCE of the current version.
    public var sequence: Int
    /// Called off (`cancelled: true`, or gone from the config after invitations went out).
    public var cancelled: Bool

    public init(
        id: String, forumID: String, uid: String, details: MeetingDetails, agenda: String?, sequence: Int, cancelled: Bool
    ) {
        self.id = id
        self.forumID = forumID
        self.uid = uid
        self.details = details
        self.agenda = agenda
        self.sequence = sequence
        self.cancelled = cancelled
    }

    /// The value of the `status` column: whether the meeting still takes place.
    var storedStatus: String { cancelled ? "cancelled" : "planned" }
}

/// What a member was sent about a meeting.
public enum NoticeKind: String, Sendable, CaseIterable, Codable {
    /// The first REQUEST a member gets (also a late joiner's, with the current version).
    case invitation
    /// A REQUEST with a higher SEQUENCE: the time, place, link or name changed.
    case update
    /// A REQUEST with the SEQUENCE the member holds, shortly before the meeting.
    case reminder
    /// A CANCEL: the meeting is off, or the member is no longer invited.
    case cancellation
}

/// One message sent to one member about one meeting (a `meeting_notice` row).
public struct NoticeRecord: Sendable, Equatable {
    public var meetingID: String
    public var emailKey: String
    /// The address as it was sent to, so a member who has left can still get a cancellation.
    public var recipient: String
    public var name: String?
    public var kind: NoticeKind
    public var sequence: Int
    public var queuedAt: Date

    public init(
        meetingID: String, emailKey: String, recipient: String, name: String?, kind: NoticeKind, sequence: Int, queuedAt: Date
    ) {
        self.meetingID = meetingID
        self.emailKey = emailKey
        self.recipient = recipient
        self.name = name
        self.kind = kind
        self.sequence = sequence
        self.queuedAt = queuedAt
    }

    /// Whether the member's calendar holds the meeting as taking place after this notice.
    var leavesLiveCopy: Bool { kind != .cancellation }
}

/// Someone invited to a forum's meetings now.
public struct Invitee: Sendable, Equatable {
    public var emailKey: String
    public var email: String
    public var name: String?

    public init(emailKey: String, email: String, name: String?) {
        self.emailKey = emailKey
        self.email = email
        self.name = name
    }
}
