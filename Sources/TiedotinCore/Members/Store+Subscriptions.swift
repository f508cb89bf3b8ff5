import Foundation
import GRDB
import MIME

/// Unsubscribes and resubscribes, kept by address so they outlive the member lists' changes.
extension Store {
    /// Records that `email` wants no newsletters or notices (`.notices`) or no mail at all (`.all`).
    /// The address need not be a member: a later import then adds them without mailing them.
    /// An existing wider unsubscribe is kept: only `resubscribe` narrows or lifts one.
    /// Throws `MemberError.invalidAddress` for text that is not an address.
    @discardableResult
    public func unsubscribe(email text: String, scope: SuppressionScope, source: String, at date: Date) throws -> Unsubscription {
        let email = try MemberLists.checkedAddress(text)
        return try write { db in
            try Store.unsubscribe(db, emailKey: Member.key(for: email), scope: scope, source: source, at: date)
        }
    }

    /// The same as `unsubscribe(email:scope:source:at:)` inside a transaction the caller holds, for an address
    /// known to be valid (such as one found by its token).
    public static func unsubscribe(
        _ db: Database, emailKey: String, scope: SuppressionScope, source: String, at date: Date
    ) throws -> Unsubscription {
        let previous = try Suppression.fetchOne(db, emailKey: emailKey)
        let isMember = try Member.fetchOne(db, emailKey: emailKey) != nil
        if let previous, previous.scope == .all || previous.scope == scope {
            return Unsubscription(emailKey: emailKey, scope: previous.scope, previous: previous, isMember: isMember)
        }
        try Suppression(emailKey: emailKey, scope: scope, source: source, createdAt: date).save(db)
        let withdrawn = try Outbox.withdraw(
            db, emailKey: emailKey, stops: { purpose in purpose.map(scope.stops) ?? false },
            answer: "not sent: unsubscribed (\(source)) before it went")
        return Unsubscription(emailKey: emailKey, scope: scope, previous: previous, isMember: isMember, withdrawn: withdrawn)
    }

    /// Lifts the unsubscribe of `email` (any case), at the person's own request. Returns the unsubscribe
    /// that was lifted, or nil when the address had none.
    @discardableResult
    public func resubscribe(email text: String) throws -> Suppression? {
        let key = Member.key(for: MemberLists.cleaned(text) ?? "")
        return try write { db in
            guard let existing = try Suppression.fetchOne(db, emailKey: key) else { return nil }
            try existing.delete(db)
            return existing
        }
    }
}
