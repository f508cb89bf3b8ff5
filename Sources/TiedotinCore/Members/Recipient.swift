import GRDB
import MIME

/// One person to send one copy of a message to, with what personalises it.
public struct Recipient: Sendable, Hashable {
    /// The address as written on the member list.
    public var email: String
    /// The address lowercased; what outbox rows and meeting notices are keyed by.
    public var emailKey: String
    public var name: String?
    public var organisation: String?
    /// The personal unsubscribe token (for `List-Unsubscribe` and the link in the footer).
    public var token: String

    /// A recipient as the store hands it out.
    public init(email: String, emailKey: String, name: String?, organisation: String?, token: String) {
        self.email = email
        self.emailKey = emailKey
        self.name = name
        self.organisation = organisation
        self.token = token
    }
}

/// What a message is for; decides which unsubscribes leave a person out.
public enum RecipientPurpose: String, Sendable, CaseIterable {
    /// A newsletter or a one-off notice: any unsubscribe stops it.
    case notice
    /// An invitation (or update, reminder, cancellation) to a forum the person sits on: only `unsubscribe --all` stops it.
    case invitation
}

extension Recipient {
    /// Everyone on any of `networks`, once each, ordered by address, leaving out addresses unsubscribed
    /// from `purpose`, members marked undeliverable, and members whose entry breaks the mail writer's
    /// rule (see `UnmailableMember`; `MemberLists.unmailable` names them). Gives each a token, making
    /// missing ones, so call it inside a write transaction (the one that queues the messages).
    public static func fetchAll(_ db: Database, networks: [String], purpose: RecipientPurpose) throws -> [Recipient] {
        guard !networks.isEmpty else { return [] }
        let scopes = SuppressionScope.allCases.filter { $0.stops(purpose) }.map(\.rawValue)
        let rows = try Row.fetchAll(db, sql: """
            SELECT m.email, m.email_key, m.name, m.organisation, t.token
            FROM member m
            LEFT JOIN subscriber_token t ON t.email_key = m.email_key
            WHERE m.undeliverable IS NULL
              AND EXISTS (SELECT 1 FROM membership s
                          WHERE s.member_id = m.id AND s.network_id IN (\(databaseQuestionMarks(count: networks.count))))
              AND NOT EXISTS (SELECT 1 FROM suppression u
                              WHERE u.email_key = m.email_key AND u.scope IN (\(databaseQuestionMarks(count: scopes.count))))
            ORDER BY m.email_key
            """, arguments: StatementArguments(networks + scopes))
        return try rows.compactMap { row in
            // A row from before the import checked names and addresses must not stop the send to the others.
            guard UnmailableMember.problem(email: row["email"], name: row["name"]) == nil else { return nil }
            let emailKey: String = row["email_key"]
            let token: String = try row["token"] ?? SubscriberToken.token(db, for: emailKey)
            return Recipient(
                email: row["email"], emailKey: emailKey, name: row["name"], organisation: row["organisation"],
                token: token)
        }
    }
}
