import Foundation
import GRDB

/// One accepted drop-folder item: a row of the `item` table.
///
/// Intake records an item when it accepts the file; the edition that publishes it sets
/// `editionID`, in the same transaction that queues the edition, so an item is never in two
/// editions. The Newsletter area is the only writer of this table (`Store+Items.swift`).
public struct NewsletterItem: StoreRecord, Sendable, Equatable {
    /// The table this record is a row of.
    public static let databaseTableName = "item"

    public var id: Int64?
    /// The name the file got in `accepted/` (`STEM-2.md` when the name was taken).
    public var fileName: String
    /// The name the submitter gave the file in `incoming/`.
    public var originalName: String?
    public var title: String
    public var organisation: String
    /// `Name <address>` or an address, as the submitter wrote it; acknowledgements go here.
    public var contact: String?
    /// The id of one of `newsletter.sections`.
    public var section: String
    /// The event's date, `YYYY-MM-DD`.
    public var eventDate: String?
    /// An http, https or mailto URL.
    public var link: String?
    /// The last day (`YYYY-MM-DD`, local) the item may be published.
    public var publishUntil: String?
    /// The Markdown body after the front matter.
    public var body: String
    /// SHA-256 (hex) of the file's bytes, which tells a resubmitted file from a new one.
    public var contentHash: String?
    public var acceptedAt: Date
    /// The edition that published it; nil while it waits.
    public var editionID: Int64?

    /// A newly accepted item, not yet saved.
    public init(
        fileName: String, originalName: String?, title: String, organisation: String, contact: String?,
        section: String, eventDate: String?, link: String?, publishUntil: String?, body: String,
        contentHash: String?, acceptedAt: Date
    ) {
        self.id = nil
        self.fileName = fileName
        self.originalName = originalName
        self.title = title
        self.organisation = organisation
        self.contact = contact
        self.section = section
        self.eventDate = eventDate
        self.link = link
        self.publishUntil = publishUntil
        self.body = body
        self.contentHash = contentHash
        self.acceptedAt = acceptedAt
        self.editionID = nil
    }

    /// Keeps the row id SQLite gave the new row.
    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }
}
