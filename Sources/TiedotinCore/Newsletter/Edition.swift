import Foundation
import GRDB

/// One edition of the newsletter: a row of the `edition` table.
///
/// A scheduled edition gets its row when its preview is mailed (or earlier, when an editor holds
/// it); from then on its items (`item.edition_id`) and its rendered HTML and text are fixed, so that
/// approve, hold, release and the send act on exactly what the editors saw.
public struct Edition: StoreRecord, Sendable, Equatable {
    /// The table this record is a row of.
    public static let databaseTableName = "edition"

    public var id: Int64?
    /// The send time of its slot in `newsletter.schedule` (or the moment of `send-now`).
    public var scheduledFor: Date
    public var status: EditionState
    public var subject: String?
    /// The member's HTML, with `EditionRenderer.tokenMarker` where each reader's token goes.
    public var html: String?
    /// The member's plain text, with the same marker.
    public var text: String?
    /// The public archive page: the same edition without anyone's unsubscribe link.
    public var archiveHtml: String?
    /// When the content was fixed (the preview mailed).
    public var compiledAt: Date?
    public var approvedAt: Date?
    /// When it was queued for the members (published).
    public var queuedAt: Date?
    /// True for an edition made by `newsletter send-now` outside the schedule.
    public var manual: Bool
    /// True while an editor holds it back (`newsletter hold`).
    public var held: Bool
    /// What the editors were last told about it at its send time (`held`, `unapproved`, `empty`), so they hear it once.
    public var told: String?
    public var toldAt: Date?
    /// The archive page's file name in `paths.archive`, once written.
    public var archiveFile: String?

    /// An edition for the send time `scheduledFor`, not yet saved.
    public init(scheduledFor: Date, status: EditionState, manual: Bool = false, held: Bool = false) {
        self.scheduledFor = scheduledFor
        self.status = status
        self.manual = manual
        self.held = held
    }

    /// Keeps the row id SQLite gave the new row.
    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}

/// Where an edition is in its life.
public enum EditionState: String, Codable, Sendable, DatabaseValueConvertible {
    /// Held before its preview: no content yet.
    case planned
    /// Its preview was mailed; its items and texts are fixed; it waits for its send time (and approval).
    case fixed
    /// Queued for the members; its items are published.
    case sent
    /// Nothing was accepted for it by its send time; nothing was sent.
    case empty
}
