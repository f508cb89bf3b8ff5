import Foundation
import GRDB

/// An unsubscribe, kept by address apart from the member lists: a row of the `suppression` table.
///
/// Because it is keyed by address and not by member, it outlives re-imports, `--sync` and
/// remove/add; only a resubscribe (at the person's own request) deletes it.
public struct Suppression: StoreRecord, PersistableRecord, Sendable, Equatable {
    /// The table this record is a row of.
    public static let databaseTableName = "suppression"

    /// The address lowercased.
    public var emailKey: String
    public var scope: SuppressionScope
    /// Where the unsubscribe came from: `admin`, `token`, `mailto`, `one-click`, ...
    public var source: String
    public var createdAt: Date

    /// An unsubscribe of this address, not yet saved.
    public init(emailKey: String, scope: SuppressionScope, source: String, createdAt: Date) {
        self.emailKey = emailKey
        self.scope = scope
        self.source = source
        self.createdAt = createdAt
    }

    /// The unsubscribe of this address, if any.
    public static func fetchOne(_ db: Database, emailKey: String) throws -> Suppression? {
        try Suppression.fetchOne(db, key: emailKey)
    }
}

/// What an unsubscribe stops.
public enum SuppressionScope: String, Codable, Sendable, CaseIterable {
    /// Newsletters and one-off notices; invitations to the person's forums still come.
    case notices
    /// Everything, invitations too.
    case all

    /// Whether this unsubscribe stops mail sent for `purpose`.
    public func stops(_ purpose: RecipientPurpose) -> Bool {
        switch (self, purpose) {
        case (.all, _), (.notices, .notice): true
        case (.notices, .invitation): false
        }
    }
}
