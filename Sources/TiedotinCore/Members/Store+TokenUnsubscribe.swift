import Foundation
import GRDB

/// Where an unsubscribe by personal token came from; kept in the unsubscribe's `source`, so that
/// `status` can say how people leave.
public enum UnsubscribeSource: String, Sendable, CaseIterable {
    /// A mail client's one-click button (RFC 8058 POST to `newsletter.unsubscribe.url`).
    case oneClick = "one-click"
    /// The button on the page that `newsletter.unsubscribe.url` shows in a browser.
    case web
    /// A message to `newsletter.unsubscribe.mailto` with the subject `unsubscribe TOKEN`.
    case mail
    /// `tiedotin unsubscribe TOKEN`, run by the admin.
    case command
}

/// Unsubscribes by personal token (from a newsletter's link, its `List-Unsubscribe` header or a reply).
extension Store {
    /// Applies `token`: the address it was given to gets no more newsletters or notices. Idempotent: a second
    /// call changes nothing (`changed` is false). Returns nil when nobody has the token (also for text that
    /// cannot be a token), without writing anything.
    @discardableResult
    public func unsubscribe(token: String, source: UnsubscribeSource, at date: Date) throws -> Unsubscription? {
        guard SubscriberToken.isWellFormed(token) else { return nil }
        return try write { db in
            guard let emailKey = try SubscriberToken.emailKey(db, forToken: token) else { return nil }
            return try Store.unsubscribe(db, emailKey: emailKey, scope: .notices, source: source.rawValue, at: date)
        }
    }

    /// How many unsubscribes are in force, by where they came from (`one-click`, `web`, `mail`, `command`,
    /// `admin`, ...).
    public func unsubscribeCounts() throws -> [String: Int] {
        try read { db in
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT source, count(*) FROM suppression GROUP BY source") {
                counts[row[0]] = row[1]
            }
            return counts
        }
    }
}

extension SubscriberToken {
    /// Whether `text` has the shape of a token (26 letters of lowercase base32, any case), so that
    /// anything else is turned away without a database look-up.
    public static func isWellFormed(_ text: some StringProtocol) -> Bool {
        text.utf8.count == length && text.unicodeScalars.allSatisfy { scalar in
            ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("2"..."7").contains(scalar)
        }
    }

    /// The first four characters and an ellipsis: enough to match a log line with a complaint, too
    /// little to unsubscribe anyone.
    public static func masked(_ text: some StringProtocol) -> String {
        String(text.prefix(4)) + "…"
    }
}
