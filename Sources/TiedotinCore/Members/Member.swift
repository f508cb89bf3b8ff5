import Foundation
import GRDB
import MIME

/// One person on the member lists: a row of the `member` table.
///
/// `emailKey` (the address lowercased) is what makes two rows the same person; `email` keeps the
/// spelling the admin wrote. A member is always on at least one network: whoever leaves their last
/// network leaves the table too (their unsubscribe and token are kept by address elsewhere).
public struct Member: StoreRecord, Sendable, Equatable {
    /// The table this record is a row of.
    public static let databaseTableName = "member"

    public var id: Int64?
    /// The address as written, e.g. `Pia.Kangas@example.fi`.
    public var email: String
    /// `Member.key(for: email)`: one person, one key.
    public var emailKey: String
    public var name: String?
    public var organisation: String?
    /// The relay's answer when mail to this address failed permanently; such a member gets no mail.
    public var undeliverable: String?
    public var undeliverableAt: Date?
    public var createdAt: Date
    public var updatedAt: Date

    /// A new member, not yet saved.
    public init(email: String, name: String?, organisation: String?, at date: Date) {
        self.id = nil
        self.email = email
        self.emailKey = Member.key(for: email)
        self.name = name
        self.organisation = organisation
        self.undeliverable = nil
        self.undeliverableAt = nil
        self.createdAt = date
        self.updatedAt = date
    }

    /// The key an address is known by in every table: `EmailAddress.key(for:)`, the one rule.
    public static func key(for email: String) -> String {
        EmailAddress.key(for: email)
    }

    /// Keeps the row id SQLite gave the new row.
    public mutating func didInsert(_ inserted: InsertionSuccess) {
        id = inserted.rowID
    }

    /// The networks this member is on.
    public static let memberships = hasMany(Membership.self, using: ForeignKey(["member_id"]))
}

extension Member {
    /// The member with this address (any case), if there is one.
    public static func fetchOne(_ db: Database, emailKey: String) throws -> Member? {
        try Member.filter(Column("email_key") == emailKey).fetchOne(db)
    }

    /// The ids of the networks this member is on, sorted.
    public func networkIds(_ db: Database) throws -> [String] {
        guard let id else { return [] }
        return try String.fetchAll(db, Membership.select(Column("network_id"))
            .filter(Column("member_id") == id)
            .order(Column("network_id")))
    }
}
