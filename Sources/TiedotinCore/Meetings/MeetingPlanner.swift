import Foundation

/// Decides, as a pure function of the store's state, the config and the time, what each member is
/// to be sent about each meeting. It reads nothing and writes nothing; `MeetingPass` does that.
///
/// The rules (issue 11):
/// - an invitation `invite_lead` before the start (at once when nearer, if still ahead), to each
///   current invitee who holds no copy; a late joiner so gets the current version;
/// - an update (same UID, SEQUENCE + 1) to every holder when the time, duration, place, link or name
///   changes; a cancellation (CANCEL, SEQUENCE + 1) when the meeting is called off or gone;
/// - a reminder `reminder_lead` before, to holders whose copy came before that moment;
/// - a cancellation of their copy to a holder who is no longer invited; nothing at all to an
///   address unsubscribed with `--all` (or marked undeliverable);
/// - nothing for a meeting that has started. A notice recorded once is never planned again, so a
///   second pass sends nothing twice, and a pass after downtime sends what fell due meanwhile.
public struct MeetingPlanner: Sendable {
    /// A forum's timing rules.
    public struct Leads: Sendable, Equatable {
        public var invite: TimeInterval
        public var reminder: TimeInterval

        public init(invite: TimeInterval, reminder: TimeInterval) {
            self.invite = invite
            self.reminder = reminder
        }
    }

    /// What the planner looks at.
    public struct State: Sendable {
        /// The meetings the config wants now.
        public var planned: [PlannedMeeting]
        /// The store's meetings by id.
        public var stored: [String: MeetingRecord]
        /// Each meeting's latest notice per member (by email key).
        public var latest: [String: [String: NoticeRecord]]
        /// Each forum's current invitees.
        public var invitees: [String: [Invitee]]
        /// Each forum's leads; a forum gone from the config has none.
        public var leads: [String: Leads]
        /// Addresses that get nothing: unsubscribed with `--all`, or undeliverable.
        public var silenced: Set<String>
        /// The sender's domain, for new UIDs.
        public var uidDomain: String

        public init(
            planned: [PlannedMeeting], stored: [String: MeetingRecord], latest: [String: [String: NoticeRecord]],
            invitees: [String: [Invitee]], leads: [String: Leads], silenced: Set<String>, uidDomain: String
        ) {
            self.planned = planned
            self.stored = stored
            self.latest = latest
            self.invitees = invitees
            self.leads = leads
            self.silenced = silenced
            self.uidDomain = uidDomain
        }
    }

    /// One message to queue.
    public struct Order: Sendable, Equatable {
        public var meetingID: String
        public var kind: NoticeKind
        /// The SEQUENCE the message carries.
        public var sequence: Int
        public var emailKey: String
        public var email: String
        public var name: String?
        /// For an update: the SEQUENCE of the copy the member holds, to say what changed since.
        public var previousSequence: Int?
    }

    /// What a pass is to do.
    public struct Plan: Sendable {
        /// Meetings to write (new, changed, called off), with their version.
        public var records: [MeetingRecord] = []
        /// Meetings to forget: gone from the config before anyone was invited.
        public var deletions: [String] = []
        public var orders: [Order] = []
        /// The next moment something may fall due (an invitation or reminder time), if any.
        public var nextDue: Date?
    }

    public init() {}

    /// The plan at `now`.
    public func plan(_ state: State, now: Date) -> Plan {
        var plan = Plan()
        var meetings = state.stored
        let plannedIDs = Set(state.planned.map(\.id))

        for planned in state.planned {
            let holders = state.latest[planned.id] ?? [:]
            guard let stored = state.stored[planned.id] else {
                let record = MeetingRecord(
                    id: planned.id, forumID: planned.forumID, uid: planned.id + "@" + state.uidDomain, details: planned.details,
                    agenda: planned.agenda, sequence: 0, cancelled: planned.cancelled)
                meetings[planned.id] = record
                plan.records.append(record)
                continue
            }
            var record = stored
            record.forumID = planned.forumID
            record.agenda = planned.agenda
            let changed = stored.details != planned.details || stored.cancelled != planned.cancelled
            // A meeting that is over stays as history; editing it tells no one.
            let over = stored.details.start <= now && planned.start <= now
            if changed, !holders.isEmpty, !over {
                record.sequence = Self.nextSequence(stored, holders)
            }
            record.details = planned.details
            record.cancelled = planned.cancelled
            if record != stored {
                meetings[planned.id] = record
                plan.records.append(record)
            }
        }
        for (id, stored) in state.stored.sorted(by: { $0.key < $1.key }) where !plannedIDs.contains(id) {
            let holders = state.latest[id] ?? [:]
            guard stored.details.start > now else { continue }
            if holders.isEmpty {
                meetings[id] = nil
                plan.deletions.append(id)
            } else if !stored.cancelled {
                var record = stored
                record.cancelled = true
                record.sequence = Self.nextSequence(stored, holders)
                meetings[id] = record
                plan.records.append(record)
            }
        }

        for record in meetings.values.sorted(by: { ($0.details.start, $0.id) < ($1.details.start, $1.id) })
        where record.details.start > now {
            orders(for: record, state: state, now: now, into: &plan)
        }
        return plan
    }

    private func orders(for record: MeetingRecord, state: State, now: Date, into plan: inout Plan) {
        let holders = state.latest[record.id] ?? [:]
        let sequence = record.sequence
        func order(_ kind: NoticeKind, _ sequence: Int, to key: String, email: String, name: String?, previous: Int? = nil) {
            plan.orders.append(Order(
                meetingID: record.id, kind: kind, sequence: sequence, emailKey: key, email: email, name: name,
                previousSequence: previous))
        }
        func cancelCopies(keeping kept: Set<String>) {
            for (key, last) in holders.sorted(by: { $0.key < $1.key })
            where last.leavesLiveCopy && !kept.contains(key) && !state.silenced.contains(key) {
                order(.cancellation, max(sequence, last.sequence + 1), to: key, email: last.recipient, name: last.name)
            }
        }
        guard !record.cancelled, let leads = state.leads[record.forumID] else {
            cancelCopies(keeping: [])
            return
        }
        let invitees = (state.invitees[record.forumID] ?? []).filter { !state.silenced.contains($0.emailKey) }
        cancelCopies(keeping: Set(invitees.map(\.emailKey)))

        let inviteAt = record.details.start.addingTimeInterval(-leads.invite)
        let reminderAt = record.details.start.addingTimeInterval(-leads.reminder)
        if now < inviteAt {
            plan.nextDue = Self.earlier(plan.nextDue, inviteAt)
        } else if now < reminderAt {
            plan.nextDue = Self.earlier(plan.nextDue, reminderAt)
        }
        for invitee in invitees {
            let key = invitee.emailKey
            if let last = holders[key], last.leavesLiveCopy {
                // A holder hears of a change at once, even when the meeting moved further than invite_lead away.
                if last.sequence < sequence {
                    order(.update, sequence, to: key, email: invitee.email, name: invitee.name, previous: last.sequence)
                } else if now >= reminderAt, last.kind != .reminder, last.queuedAt < reminderAt {
                    order(.reminder, last.sequence, to: key, email: invitee.email, name: invitee.name)
                }
            } else if now >= inviteAt {
                // A copy cancelled before (the member left and came back) needs a higher SEQUENCE to revive.
                let revived = holders[key].map { max(sequence, $0.sequence + 1) } ?? sequence
                order(.invitation, revived, to: key, email: invitee.email, name: invitee.name)
            }
        }
    }

    /// The SEQUENCE of a new version: above every one any member was sent, so each calendar takes it.
    static func nextSequence(_ record: MeetingRecord, _ holders: [String: NoticeRecord]) -> Int {
        max(record.sequence, holders.values.map(\.sequence).max() ?? 0) + 1
    }

    private static func earlier(_ a: Date?, _ b: Date) -> Date {
        a.map { min($0, b) } ?? b
    }
}
