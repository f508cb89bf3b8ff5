import Foundation
import GRDB

/// The `meeting`, `meeting_version` and `meeting_notice` tables: the Meetings area is their one
/// writer, and every read or write of them goes through these few methods.
public struct MeetingStore: Sendable {
    public let store: Store

    public init(store: Store) {
        self.store = store
    }

    /// Everything the planner looks at, read in one transaction: stored meetings, each member's
    /// latest notice, each forum's invitees (write: invitees are given tokens) and who gets nothing.
    func planningState(
        planned: [PlannedMeeting], inviteeNetworks: [String: [String]], leads: [String: MeetingPlanner.Leads], uidDomain: String
    ) throws -> MeetingPlanner.State {
        try store.write { db in
            var stored: [String: MeetingRecord] = [:]
            for record in try Self.records(db, sql: "SELECT * FROM meeting") { stored[record.id] = record }
            var latest: [String: [String: NoticeRecord]] = [:]
            for notice in try Self.notices(db, where: "1") {
                let previous = latest[notice.meetingID]?[notice.emailKey]
                if previous.map({ Self.isLater(notice, than: $0) }) ?? true {
                    latest[notice.meetingID, default: [:]][notice.emailKey] = notice
                }
            }
            var invitees: [String: [Invitee]] = [:]
            for (forum, networks) in inviteeNetworks {
                invitees[forum] = try Recipient.fetchAll(db, networks: networks, purpose: .invitation).map {
                    Invitee(emailKey: $0.emailKey, email: $0.email, name: $0.name)
                }
            }
            let silenced = try String.fetchSet(db, sql: """
                SELECT email_key FROM suppression WHERE scope = 'all'
                UNION SELECT email_key FROM member WHERE undeliverable IS NOT NULL
                """)
            return MeetingPlanner.State(
                planned: planned, stored: stored, latest: latest, invitees: invitees, leads: leads, silenced: silenced,
                uidDomain: uidDomain)
        }
    }

    /// Writes what the planner decided about the meetings themselves, with the version of each, in one transaction.
    func apply(_ plan: MeetingPlanner.Plan, at now: Date) throws {
        guard !plan.records.isEmpty || !plan.deletions.isEmpty else { return }
        try store.write { db in
            for record in plan.records {
                let details = record.details
                try db.execute(sql: """
                    INSERT INTO meeting (id, forum_id, uid, start, end, sequence, status, fingerprint, updated_at, name, location, url, agenda)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET forum_id = excluded.forum_id, start = excluded.start, end = excluded.end,
                        sequence = excluded.sequence, status = excluded.status, fingerprint = excluded.fingerprint,
                        updated_at = excluded.updated_at, name = excluded.name, location = excluded.location,
                        url = excluded.url, agenda = excluded.agenda
                    """, arguments: [
                        record.id, record.forumID, record.uid, details.start.timeIntervalSince1970, details.end.timeIntervalSince1970,
                        record.sequence, record.storedStatus, details.fingerprint, now.timeIntervalSince1970, details.name,
                        details.location, details.url, record.agenda,
                    ])
                try db.execute(sql: """
                    INSERT OR REPLACE INTO meeting_version (meeting_id, sequence, start, end, name, location, url)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [
                        record.id, record.sequence, details.start.timeIntervalSince1970, details.end.timeIntervalSince1970,
                        details.name, details.location, details.url,
                    ])
            }
            for id in plan.deletions {
                try db.execute(sql: "DELETE FROM meeting WHERE id = ? AND NOT EXISTS (SELECT 1 FROM meeting_notice WHERE meeting_id = ?)",
                               arguments: [id, id])
            }
        }
    }

    /// Records that `order` was queued, inside the transaction that queues its message, so the two
    /// happen together or not at all. Returns false when it was recorded before (nothing to queue).
    static func record(_ order: MeetingPlanner.Order, in db: Database, at now: Date) throws -> Bool {
        try db.execute(sql: """
            INSERT OR IGNORE INTO meeting_notice (meeting_id, email_key, kind, sequence, queued_at, recipient, name)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [
                order.meetingID, order.emailKey, order.kind.rawValue, order.sequence, now.timeIntervalSince1970, order.email,
                order.name,
            ])
        return db.changesCount == 1
    }

    /// The meeting as stored, or nil.
    public func meeting(_ id: String) throws -> MeetingRecord? {
        try store.read { db in try Self.records(db, sql: "SELECT * FROM meeting WHERE id = ?", [id]).first }
    }

    /// The details of the copy a member holds at `sequence` (the latest version at or below it).
    func details(of meetingID: String, atSequence sequence: Int) throws -> MeetingDetails? {
        try store.read { db in
            try Row.fetchOne(db, sql: """
                SELECT * FROM meeting_version WHERE meeting_id = ? AND sequence <= ? ORDER BY sequence DESC LIMIT 1
                """, arguments: [meetingID, sequence]).map(Self.details)
        }
    }

    /// Every meeting with counts of its notices, in start order, for `meetings list`.
    public func listing() throws -> [(record: MeetingRecord, counts: [NoticeKind: Int])] {
        try store.read { db in
            var counts: [String: [NoticeKind: Int]] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT meeting_id, kind, count(DISTINCT email_key) AS n FROM meeting_notice GROUP BY meeting_id, kind
                """) {
                if let kind = NoticeKind(rawValue: row["kind"]) { counts[row["meeting_id"], default: [:]][kind] = row["n"] }
            }
            return try Self.records(db, sql: "SELECT * FROM meeting ORDER BY start, id").map { ($0, counts[$0.id] ?? [:]) }
        }
    }

    /// Every notice of a meeting, oldest first (for tests and the admin's questions).
    public func notices(of meetingID: String) throws -> [NoticeRecord] {
        try store.read { db in
            try Self.notices(db, where: "meeting_id = ?", [meetingID]).sorted { Self.isLater($1, than: $0) }
        }
    }

    // MARK: Rows

    private static func records(_ db: Database, sql: String, _ arguments: StatementArguments = []) throws -> [MeetingRecord] {
        try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
            MeetingRecord(
                id: row["id"], forumID: row["forum_id"], uid: row["uid"], details: details(row), agenda: row["agenda"],
                sequence: row["sequence"], cancelled: row["status"] == "cancelled")
        }
    }

    private static func details(_ row: Row) -> MeetingDetails {
        MeetingDetails(
            start: Date(timeIntervalSince1970: row["start"]), end: Date(timeIntervalSince1970: row["end"]), name: row["name"],
            location: row["location"], url: row["url"])
    }

    private static func notices(_ db: Database, where condition: String, _ arguments: StatementArguments = []) throws -> [NoticeRecord] {
        try Row.fetchAll(db, sql: "SELECT * FROM meeting_notice WHERE \(condition)", arguments: arguments).compactMap { row in
            guard let kind = NoticeKind(rawValue: row["kind"]) else { return nil }
            return NoticeRecord(
                meetingID: row["meeting_id"], emailKey: row["email_key"], recipient: row["recipient"], name: row["name"],
                kind: kind, sequence: row["sequence"], queuedAt: Date(timeIntervalSince1970: row["queued_at"]))
        }
    }

    /// A member's notices come one after another: later in time, or in one pass the higher SEQUENCE.
    private static func isLater(_ a: NoticeRecord, than b: NoticeRecord) -> Bool {
        (a.queuedAt, a.sequence) > (b.queuedAt, b.sequence)
    }
}
