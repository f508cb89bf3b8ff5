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
        var recipients: [Recipient] = []
        try forEach(db, networks: networks, purpose: purpose) { recipients.append($0) }
        return recipients
    }

    /// The same people as `fetchAll`, handed to `body` one at a time as they are read: a send to
    /// thousands holds none of them longer than its own row takes. `body` may write any table but
    /// the ones read here (members, memberships, suppressions, tokens). Each member left out for an
    /// entry the mail writer refuses goes to `leftOut`. Returns how many went to `body`.
    @discardableResult
    public static func forEach(
        _ db: Database, networks: [String], purpose: RecipientPurpose,
        leftOut: (UnmailableMember) -> Void = { _ in }, _ body: (Recipient) throws -> Void
    ) throws -> Int {
        guard !networks.isEmpty else { return 0 }
        let scopes = SuppressionScope.allCases.filter { $0.stops(purpose) }.map(\.rawValue)
        let filter = """
            FROM member m
            LEFT JOIN subscriber_token t ON t.email_key = m.email_key
            WHERE m.undeliverable IS NULL
              AND EXISTS (SELECT 1 FROM membership s
                          WHERE s.member_id = m.id AND s.network_id IN (\(databaseQuestionMarks(count: networks.count))))
              AND NOT EXISTS (SELECT 1 FROM suppression u
                              WHERE u.email_key = m.email_key AND u.scope IN (\(databaseQuestionMarks(count: scopes.count))))
            """
        let arguments = StatementArguments(networks + scopes)
        // Tokens first: SQLite leaves undefined what a statement reads from a table written meanwhile.
        let tokenless = try String.fetchAll(db, sql: "SELECT m.email_key \(filter) AND t.token IS NULL", arguments: arguments)
        for emailKey in tokenless { _ = try SubscriberToken.token(db, for: emailKey) }
        // Read in place through a cursor, by position: no copy of every row.
        let rows = try Row.fetchCursor(db, sql: """
            SELECT m.email, m.email_key, m.name, m.organisation, t.token \(filter) ORDER BY m.email_key
            """, arguments: arguments)
        var count = 0
        while let row = try rows.next() {
            let email: String = row[0], name: String? = row[2]
            // A row from before the import checked names and addresses must not stop the send to the others.
            if let problem = UnmailableMember.problem(email: email, name: name) {
                leftOut(UnmailableMember(email: email, problem: problem))
                continue
            }
            try body(Recipient(email: email, emailKey: row[1], name: name, organisation: row[3], token: row[4]))
            count += 1
        }
        return count
    }
}
