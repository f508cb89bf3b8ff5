import Foundation
import GRDB

/// What delivery asks of the member lists: who gets a message, their tokens, and bounces.
extension Store {
    /// Everyone on any of `networks`, once each, who has not unsubscribed from `purpose` and whose
    /// address is not marked undeliverable. Makes missing tokens, so it writes.
    public func recipients(networks: [String], purpose: RecipientPurpose) throws -> [Recipient] {
        try write { db in try Recipient.fetchAll(db, networks: networks, purpose: purpose) }
    }

    /// The personal unsubscribe token of an address (any case), made now if it has none.
    public func token(for emailKey: String) throws -> String {
        let key = Member.key(for: emailKey)
        if let existing = try read({ db in try SubscriberToken.fetchOne(db, key: key) }) {
            return existing.token
        }
        return try write { db in try SubscriberToken.token(db, for: key) }
    }

    /// The address (lowercased) a token was given to, or nil when no one has that token.
    public func address(forToken token: String) throws -> String? {
        try read { db in try SubscriberToken.emailKey(db, forToken: token) }
    }

    /// Marks a member's address undeliverable with the relay's answer (a 5xx such as "user unknown",
    /// from a bounce), so that no more mail is queued for it until the admin adds the address again,
    /// and takes back every message to it still waiting to go. Returns false when the address is
    /// not a member (nothing to mark; its waiting messages are taken back all the same).
    @discardableResult
    public func markUndeliverable(emailKey: String, answer: String, at date: Date) throws -> Bool {
        try write { db in
            let member = try Member.markUndeliverable(db, address: emailKey, answer: answer, at: date)
            try Outbox.withdraw(
                db, emailKey: Member.key(for: emailKey), stops: { _ in true },
                answer: "not sent: the address was marked undeliverable: \(answer)")
            return member
        }
    }
}

extension Member {
    /// Marks the member with `address` (any case or Unicode form) undeliverable with the relay's answer,
    /// inside the caller's transaction: Delivery calls it in the one that records the failed message.
    /// Returns false when the address is not a member.
    @discardableResult
    static func markUndeliverable(_ db: Database, address: String, answer: String, at date: Date) throws -> Bool {
        guard var member = try Member.fetchOne(db, emailKey: Member.key(for: address)) else { return false }
        member.undeliverable = answer
        member.undeliverableAt = date
        member.updatedAt = date
        try member.update(db)
        return true
    }
}
