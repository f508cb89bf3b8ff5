import Foundation
import GRDB

/// The `item` table's writes and the lookups intake needs. Editions add theirs beside these.
extension Store {
    /// Records an accepted item and returns it with its id.
    /// Throws `ItemStoreError.duplicate` when an item with the same content hash exists.
    public func recordAcceptedItem(_ item: NewsletterItem) throws -> NewsletterItem {
        try write { db in
            if let hash = item.contentHash, let existing = try NewsletterItem.fetchOne(db, contentHash: hash) {
                throw ItemStoreError.duplicate(of: existing.fileName)
            }
            var item = item
            try item.insert(db)
            return item
        }
    }

    /// The item already received with this content hash, if any.
    public func item(withContentHash hash: String) throws -> NewsletterItem? {
        try read { db in try NewsletterItem.fetchOne(db, contentHash: hash) }
    }
}

extension NewsletterItem {
    /// The item with this content hash, if one was accepted.
    static func fetchOne(_ db: Database, contentHash: String) throws -> NewsletterItem? {
        try NewsletterItem.filter(Column("content_hash") == contentHash).fetchOne(db)
    }
}

/// Why an item could not be recorded.
public enum ItemStoreError: Error, CustomStringConvertible {
    /// The same bytes were accepted before, as `of` in `accepted/`.
    case duplicate(of: String)

    public var description: String {
        switch self {
        case .duplicate(let name): "the same item was already received as \(name)"
        }
    }
}

extension Store {
    /// Whether an item was recorded under this name in `accepted/` (its file may not be there
    /// yet: intake records the item first and moves the file second).
    func isAcceptedNameRecorded(_ fileName: String) throws -> Bool {
        try read { db in
            try NewsletterItem.filter(Column("file_name") == fileName).fetchCount(db) > 0
        }
    }
}
