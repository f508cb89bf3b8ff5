import GRDB

/// The schema as an ordered list of named migrations.
///
/// The outbox keeps a message's bytes in two parts, so that queueing 10,000 personalised
/// messages writes little: `outbox_body` holds what every recipient shares (the MIME body,
/// possibly with personalisation markers), and `outbox_content` only each recipient's header
/// block and substitutions, beside the `outbox` row that tracks the message's state (v6).
/// Delivery joins them at send time.
enum Schema {
    struct Migration: Sendable {
        let name: String
        let body: @Sendable (Database) throws -> Void
    }

    static let migrations: [Migration] = [
        Migration(name: "v1 members, items, editions, meetings, outbox", body: version1),
        Migration(name: "v2 newsletter items: original name and content hash", body: version2),
        Migration(name: "v3 editions: hold, approval notices, archive page, one edition per send time", body: version3),
        Migration(name: "v4 meetings: versions, details and notice recipients", body: meetingVersions),
        Migration(name: "v5 returned mail: what the unsubscribe and bounce mailboxes held", body: returnedMail),
        Migration(name: "v6 outbox: each message's header block apart from its state", body: outboxContent),
        Migration(name: "v7 outbox: the state check written without IN", body: outboxStateCheck),
    ]

    /// SQLite checks `state IN (five values)` by building a temporary table of the five at every
    /// row it writes: for the update that records a delivered message, that was half the cost
    /// (6.1 against 3.3 µs a row in SQLite's own loop, BENCHMARKS.md), and at four connections the
    /// writer's updates are several per cent of the delivery rate. The same check written with OR
    /// allows exactly the same values.
    ///
    /// SQLite cannot change a CHECK in place, so the table is made anew, as SQLite's documentation
    /// describes (lang_altertable.html, "other kinds of table schema changes"): a migration runs with
    /// foreign keys off, so dropping the old table deletes no `outbox_content` row. Ids are copied,
    /// and so is the AUTOINCREMENT counter, so that no id is ever used twice (the results journal
    /// names rows by id).
    private static func outboxStateCheck(_ db: Database) throws {
        let lastID = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'outbox'")
        let columns = """
            id, body_id, recipient, envelope_from, state, attempts, next_attempt_at, last_attempt_at,
            last_code, last_answer, queued_at, sent_at
            """
        try db.execute(sql: """
            CREATE TABLE outbox_rebuilt (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                body_id INTEGER NOT NULL REFERENCES outbox_body(id),
                recipient TEXT NOT NULL,
                envelope_from TEXT NOT NULL,
                state TEXT NOT NULL CHECK (state = 'queued' OR state = 'sending' OR state = 'sent' OR state = 'deferred' OR state = 'failed'),
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at REAL NOT NULL,
                last_attempt_at REAL,
                last_code INTEGER,
                last_answer TEXT,
                queued_at REAL NOT NULL,
                sent_at REAL
            );
            INSERT INTO outbox_rebuilt (\(columns)) SELECT \(columns) FROM outbox;
            DROP TABLE outbox;
            ALTER TABLE outbox_rebuilt RENAME TO outbox;
            CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE state IN ('queued', 'deferred');
            CREATE INDEX outbox_body_rows ON outbox(body_id);
            DELETE FROM sqlite_sequence WHERE name = 'outbox';
            """)
        if let lastID {
            try db.execute(sql: "INSERT INTO sqlite_sequence (name, seq) VALUES ('outbox', ?)", arguments: [lastID])
        }
    }

    /// Delivery rewrites an outbox row twice per message (claimed, then its result): with the
    /// header block (half a kilobyte) in the row, each rewrite copied it into the WAL again. The
    /// bytes that never change after queueing live in `outbox_content`, read once when claimed.
    private static func outboxContent(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE outbox_content (
                outbox_id INTEGER PRIMARY KEY REFERENCES outbox(id) ON DELETE CASCADE,
                headers BLOB NOT NULL,
                substitutions TEXT
            );
            INSERT INTO outbox_content (outbox_id, headers, substitutions) SELECT id, headers, substitutions FROM outbox;
            ALTER TABLE outbox DROP COLUMN headers;
            ALTER TABLE outbox DROP COLUMN substitutions;
            """)
    }

    /// An edition is fixed when its preview is mailed; what it held, whether it is held back and
    /// when the editors were last told about it live on its row. One scheduled edition per send time.
    private static func version3(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE edition ADD COLUMN manual INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE edition ADD COLUMN held INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE edition ADD COLUMN archive_html TEXT;
            ALTER TABLE edition ADD COLUMN told_at REAL;
            ALTER TABLE edition ADD COLUMN told TEXT;
            ALTER TABLE edition ADD COLUMN archive_file TEXT;
            CREATE UNIQUE INDEX edition_send_time ON edition(scheduled_for) WHERE manual = 0;
            """)
    }

    /// Intake keeps the submitter's own file name and a hash of the bytes, so that the same
    /// item sent twice is recognised and named in the rejection.
    private static func version2(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE item ADD COLUMN original_name TEXT;
            ALTER TABLE item ADD COLUMN content_hash TEXT;
            CREATE UNIQUE INDEX item_content_hash ON item(content_hash);
            """)
    }

    /// One row per message read from the unsubscribe or bounce Maildir, keyed by its Maildir name so
    /// that a message read twice (a crash between the database and the rename) counts once.
    private static func returnedMail(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE returned_mail (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                mailbox TEXT NOT NULL CHECK (mailbox IN ('unsubscribe', 'bounces')),
                message TEXT NOT NULL,
                outcome TEXT NOT NULL,
                email_key TEXT,
                detail TEXT,
                processed_at REAL NOT NULL,
                UNIQUE (mailbox, message)
            );
            """)
    }

    private static func version1(_ db: Database) throws {
        // People. `email_key` is the lowercased address: one person, one row.
        try db.execute(sql: """
            CREATE TABLE member (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                email TEXT NOT NULL,
                email_key TEXT NOT NULL UNIQUE,
                name TEXT,
                organisation TEXT,
                undeliverable TEXT,
                undeliverable_at REAL,
                created_at REAL NOT NULL,
                updated_at REAL NOT NULL
            );
            CREATE TABLE membership (
                member_id INTEGER NOT NULL REFERENCES member(id) ON DELETE CASCADE,
                network_id TEXT NOT NULL,
                PRIMARY KEY (member_id, network_id)
            ) WITHOUT ROWID;
            CREATE INDEX membership_network ON membership(network_id);

            -- Unsubscribes are kept by address, apart from members, so that they survive
            -- re-imports, --sync and remove/add. scope: 'notices' (newsletters and notices)
            -- or 'all' (invitations too).
            CREATE TABLE suppression (
                email_key TEXT PRIMARY KEY,
                scope TEXT NOT NULL CHECK (scope IN ('notices', 'all')),
                source TEXT NOT NULL,
                created_at REAL NOT NULL
            ) WITHOUT ROWID;

            -- The personal unsubscribe token of an address; stable across remove/add.
            CREATE TABLE subscriber_token (
                email_key TEXT PRIMARY KEY,
                token TEXT NOT NULL UNIQUE
            ) WITHOUT ROWID;
            """)

        // Newsletter items from the drop folder, and the editions they go into.
        try db.execute(sql: """
            CREATE TABLE edition (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                scheduled_for REAL NOT NULL,
                status TEXT NOT NULL,
                subject TEXT,
                html TEXT,
                text TEXT,
                compiled_at REAL,
                approved_at REAL,
                queued_at REAL
            );
            CREATE TABLE item (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                file_name TEXT NOT NULL,
                title TEXT NOT NULL,
                organisation TEXT NOT NULL,
                contact TEXT,
                section TEXT NOT NULL,
                event_date TEXT,
                link TEXT,
                publish_until TEXT,
                body TEXT NOT NULL,
                accepted_at REAL NOT NULL,
                edition_id INTEGER REFERENCES edition(id)
            );
            CREATE INDEX item_edition ON item(edition_id);
            """)

        // Meetings as planned, and what each invitee was last sent about them.
        try db.execute(sql: """
            CREATE TABLE meeting (
                id TEXT PRIMARY KEY,
                forum_id TEXT NOT NULL,
                uid TEXT NOT NULL UNIQUE,
                start REAL NOT NULL,
                end REAL NOT NULL,
                sequence INTEGER NOT NULL DEFAULT 0,
                status TEXT NOT NULL,
                fingerprint TEXT NOT NULL,
                updated_at REAL NOT NULL
            ) WITHOUT ROWID;
            CREATE TABLE meeting_notice (
                meeting_id TEXT NOT NULL REFERENCES meeting(id),
                email_key TEXT NOT NULL,
                kind TEXT NOT NULL,
                sequence INTEGER NOT NULL,
                queued_at REAL NOT NULL,
                PRIMARY KEY (meeting_id, email_key, kind, sequence)
            ) WITHOUT ROWID;
            """)

        // The outbox: what every recipient shares, then one row per message and recipient.
        try db.execute(sql: """
            CREATE TABLE outbox_body (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                kind TEXT NOT NULL,
                subject TEXT NOT NULL,
                content BLOB NOT NULL,
                edition_id INTEGER REFERENCES edition(id),
                meeting_id TEXT,
                created_at REAL NOT NULL
            );
            CREATE TABLE outbox (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                body_id INTEGER NOT NULL REFERENCES outbox_body(id),
                recipient TEXT NOT NULL,
                envelope_from TEXT NOT NULL,
                headers BLOB NOT NULL,
                substitutions TEXT,
                state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'deferred', 'failed')),
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at REAL NOT NULL,
                last_attempt_at REAL,
                last_code INTEGER,
                last_answer TEXT,
                queued_at REAL NOT NULL,
                sent_at REAL
            );
            -- Only waiting rows are in the due index, so marking a row sent touches no index:
            -- one page per delivered message, which keeps delivery close to the relay's pace.
            CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE state IN ('queued', 'deferred');
            CREATE INDEX outbox_body_rows ON outbox(body_id);

            -- Small facts the service keeps between runs (the last delivery error, ...).
            CREATE TABLE service_state (
                key TEXT PRIMARY KEY,
                value TEXT NOT NULL,
                updated_at REAL NOT NULL
            ) WITHOUT ROWID;
            """)
    }

    /// What the meeting planner needs beyond v1: each meeting's details as last planned, every
    /// version members were sent (so an update can say what changed since the copy a member holds),
    /// and the address and name each notice went to (so a member who has left, and is no longer on
    /// any list, can still be sent a cancellation of their copy).
    private static func meetingVersions(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE meeting ADD COLUMN name TEXT NOT NULL DEFAULT '';
            ALTER TABLE meeting ADD COLUMN location TEXT;
            ALTER TABLE meeting ADD COLUMN url TEXT;
            ALTER TABLE meeting ADD COLUMN agenda TEXT;
            CREATE INDEX meeting_forum_start ON meeting(forum_id, start);
            CREATE TABLE meeting_version (
                meeting_id TEXT NOT NULL REFERENCES meeting(id) ON DELETE CASCADE,
                sequence INTEGER NOT NULL,
                start REAL NOT NULL,
                end REAL NOT NULL,
                name TEXT NOT NULL,
                location TEXT,
                url TEXT,
                PRIMARY KEY (meeting_id, sequence)
            ) WITHOUT ROWID;
            ALTER TABLE meeting_notice ADD COLUMN recipient TEXT NOT NULL DEFAULT '';
            ALTER TABLE meeting_notice ADD COLUMN name TEXT;
            """)
    }
}
