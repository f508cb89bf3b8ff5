import Foundation
import GRDB

/// The `edition` table's reads and writes, and the `item` writes an edition makes. The
/// Newsletter area is the only writer of both; the steps that also queue mail run inside the
/// outbox's transaction (`Outbox.enqueue(at:building:)`), so a step and its mail are one commit.
extension Store {
    /// The edition being worked on: the earliest one neither sent nor found empty.
    public func openEdition() throws -> Edition? {
        try read { db in try Edition.open(db) }
    }

    /// The scheduled edition with the latest send time, whatever its state.
    func latestScheduledEdition() throws -> Edition? {
        try read { db in
            try Edition.filter(Column("manual") == false).order(Column("scheduled_for").desc).fetchOne(db)
        }
    }

    /// Accepted items no edition has taken yet, oldest first.
    public func waitingItems() throws -> [NewsletterItem] {
        try read { db in
            try NewsletterItem.filter(Column("edition_id") == nil).order(Column("id")).fetchAll(db)
        }
    }

    /// The items an edition took when it was fixed.
    public func items(ofEdition id: Int64) throws -> [NewsletterItem] {
        try read { db in try NewsletterItem.filter(Column("edition_id") == id).order(Column("id")).fetchAll(db) }
    }

    /// Every sent edition, newest first.
    public func sentEditions() throws -> [Edition] {
        try read { db in
            try Edition.filter(Column("status") == EditionState.sent.rawValue)
                .order(Column("scheduled_for").desc, Column("id").desc).fetchAll(db)
        }
    }

    /// Saves a change to an edition's flags (held, approved, archive file); the edition must exist.
    func saveEdition(_ edition: Edition) throws {
        try write { db in try edition.update(db) }
    }

    /// Runs one step of the newsletter that queues no mail, as one transaction.
    func editionTransaction<T>(_ step: (Database) throws -> T) throws -> T {
        try write(step)
    }

    /// Inserts an edition that has no content yet (held before its preview, or waiting for items).
    func insertEdition(_ edition: Edition) throws -> Edition {
        try write { db in
            var edition = edition
            try edition.insert(db)
            return edition
        }
    }
}

extension Edition {
    /// The earliest edition neither sent nor found empty.
    static func open(_ db: Database) throws -> Edition? {
        try Edition.filter([EditionState.planned.rawValue, EditionState.fixed.rawValue].contains(Column("status")))
            .order(Column("scheduled_for"), Column("id")).fetchOne(db)
    }

    /// Saves `edition` as fixed (inserting it, or updating its planned row) and takes `items` for it.
    /// Throws `EditionError.changedMeanwhile` when another process fixed the edition or took an item
    /// first; the caller's transaction then leaves everything as it was.
    static func fix(_ db: Database, _ edition: inout Edition, items: [NewsletterItem]) throws {
        if let id = edition.id {
            guard let current = try Edition.fetchOne(db, key: id), current.status == .planned else {
                throw EditionError.changedMeanwhile
            }
            edition.held = current.held
            try edition.update(db)
        } else {
            try edition.insert(db)
        }
        let take = try db.makeStatement(sql: "UPDATE item SET edition_id = ? WHERE id = ? AND edition_id IS NULL")
        for item in items {
            try take.execute(arguments: [edition.id, item.id])
            if db.changesCount != 1 { throw EditionError.changedMeanwhile }
        }
    }

    /// Marks a fixed edition sent (its items published) at `date`; throws `changedMeanwhile` when it is
    /// no longer fixed, so an edition is queued once however many processes try.
    static func publish(_ db: Database, id: Int64, at date: Date) throws -> Edition {
        guard var edition = try Edition.fetchOne(db, key: id), edition.status == .fixed else {
            throw EditionError.changedMeanwhile
        }
        edition.status = .sent
        edition.queuedAt = date
        edition.held = false
        try edition.update(db)
        return edition
    }

    /// Records what the editors are told about the edition, unless they were told it already.
    static func tell(_ db: Database, _ edition: inout Edition, _ what: String, at date: Date) throws {
        guard let current = try Edition.fetchOne(db, key: edition.id), current.told != what,
              current.status == edition.status else {
            throw EditionError.changedMeanwhile
        }
        edition.told = what
        edition.toldAt = date
        try edition.save(db)
    }
}
