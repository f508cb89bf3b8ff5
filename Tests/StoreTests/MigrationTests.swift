import Foundation
import GRDB
import Synchronization
import Testing
@testable import TiedotinCore

/// The database file: WAL, synchronous NORMAL, read through a map, and migrations that upgrade old files without losing data.
@Suite struct MigrationTests {
    /// A database path in a folder of its own, removed after `body`.
    func withDatabasePath(_ body: (String) throws -> Void) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tiedotin-store-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try body(folder.appendingPathComponent("state/tiedotin.sqlite").path)
    }

    /// A plain connection (rollback journal, no `Store`) to a new file at `path` that has the
    /// migrations up to `last` and no later one.
    func oldDatabase(at path: String, upTo last: String) throws -> DatabaseQueue {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let old = try DatabaseQueue(path: path)
        try Store.migrator.migrate(old, upTo: last)
        return old
    }

    /// The migration just before the one whose name starts with `prefix`; nil, with an issue
    /// recorded, when there is none.
    func migration(before prefix: String) -> String? {
        let migrations = Store.migrator.migrations
        guard let index = migrations.firstIndex(where: { $0.hasPrefix(prefix) }), index > 0 else {
            Issue.record("no migration \(prefix)with one before it")
            return nil
        }
        return migrations[index - 1]
    }

    @Test func aFreshFileGetsEveryMigrationInWALModeWithSynchronousNormal() throws {
        try withDatabasePath { path in
            let store = try Store(path: path)
            #expect(try store.appliedMigrations() == Store.migrator.migrations)
            #expect(!Store.migrator.migrations.isEmpty)
            for connection in ["writer", "reader"] {
                let (journal, synchronous, mapped) = try connection == "writer"
                    ? store.write { db in try Self.pragmas(db) }
                    : store.read { db in try Self.pragmas(db) }
                #expect(journal == "wal", "\(connection)")
                #expect(synchronous == 1, "\(connection): synchronous should be 1 (NORMAL)")
                #expect(mapped == Store.mappedBytes, "\(connection): the file should be read through a map")
            }
            // WAL is a property of the file: a plain connection, knowing nothing of Store, sees it too.
            let plain = try DatabaseQueue(path: path)
            #expect(try plain.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") } == "wal")
        }
    }

    @Test func reopeningChangesNothingAndKeepsTheData() throws {
        try withDatabasePath { path in
            let first = try Store(path: path)
            try first.write { db in
                try db.execute(sql: """
                    INSERT INTO member (email, email_key, name, created_at, updated_at)
                    VALUES ('pia.kangas@example.fi', 'pia.kangas@example.fi', 'Pia Kangas', 0, 0)
                    """)
            }
            let schema = try Self.schema(first)
            let second = try Store(path: path)
            #expect(try second.appliedMigrations() == Store.migrator.migrations)
            #expect(try Self.schema(second) == schema)
            #expect(try second.read { db in try String.fetchAll(db, sql: "SELECT name FROM member") } == ["Pia Kangas"])
        }
    }

    /// For every schema version k: a file migrated that far (by a plain connection, so in the default
    /// rollback-journal mode) and holding a member opens, is upgraded to WAL and the latest schema,
    /// and still holds the member. With one migration this checks the WAL switch; from migration 2 on
    /// it checks each upgrade path too.
    @Test(arguments: Array(Store.migrator.migrations.indices))
    func aFileOfAnyVersionOpensUpToDateInWALKeepingItsData(lastApplied index: Int) throws {
        let migrations = Store.migrator.migrations
        try withDatabasePath { path in
            let old = try oldDatabase(at: path, upTo: migrations[index])
            try old.write { db in
                // The member table and these columns are in migration 1 and every one since.
                try db.execute(sql: """
                    INSERT INTO member (email, email_key, name, created_at, updated_at)
                    VALUES ('Pia.Kangas@example.fi', 'pia.kangas@example.fi', 'Pia Kangas', 0, 0)
                    """)
            }
            #expect(try old.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") } == "delete")
            try old.close()
            let store = try Store(path: path)
            #expect(try store.appliedMigrations() == migrations)
            let row = try store.read { db in try Row.fetchOne(db, sql: "SELECT email, name FROM member") }
            #expect(row?["email"] == "Pia.Kangas@example.fi")
            #expect(row?["name"] == "Pia Kangas")
            #expect(try store.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") } == "wal")
        }
    }

    /// v6 moved each message's header block out of the outbox row: mail queued before the upgrade
    /// keeps its bytes, its substitutions and its state, and is claimed whole afterwards.
    @Test func mailQueuedBeforeTheOutboxSplitIsDeliveredWhole() throws {
        guard let before = migration(before: "v6 ") else { return }
        try withDatabasePath { path in
            let old = try oldDatabase(at: path, upTo: before)
            let header = Array("From: jarjestotyo@pohde.example.fi\r\nTo: pia.kangas@example.fi\r\nSubject: Aamukahvit\r\n".utf8)
            try old.write { db in
                try db.execute(sql: """
                    INSERT INTO outbox_body (kind, subject, content, created_at) VALUES ('notice', 'Aamukahvit', x'0d0a', 0);
                    INSERT INTO outbox (body_id, recipient, envelope_from, headers, substitutions, state, next_attempt_at, queued_at)
                    VALUES (1, 'pia.kangas@example.fi', 'jarjestotyo@pohde.example.fi', ?, '{"unsubscribe":"https://x/u/abc"}', 'queued', 0, 0),
                           (1, 'heidi.lotjonen@example.fi', 'jarjestotyo@pohde.example.fi', x'546f3a', NULL, 'sent', 0, 0);
                    """, arguments: [Data(header)])
            }
            try old.close()
            let outbox = Outbox(store: try Store(path: path))
            #expect(try outbox.counts().queued == 1)
            #expect(try outbox.counts().sent == 1)
            let claimed = try outbox.claim(limit: 10, now: Date())
            #expect(claimed.map(\.recipient) == ["pia.kangas@example.fi"])
            #expect(claimed.first?.header == header)
            #expect(claimed.first?.substitutions == #"{"unsubscribe":"https://x/u/abc"}"#)
        }
    }

    /// v7 made the outbox table anew (its state check without IN): what was queued, sent and
    /// deferred before keeps its state, header block and place in line; no id is given out twice,
    /// not even one whose row is gone; and a state outside the five is still refused.
    @Test func theOutboxRebuiltForItsStateCheckKeepsEveryRowAndItsIds() throws {
        guard let before = migration(before: "v7 ") else { return }
        try withDatabasePath { path in
            let old = try oldDatabase(at: path, upTo: before)
            let header = Array("From: jarjestotyo@pohde.example.fi\r\nTo: pia.kangas@example.fi\r\nSubject: JYRY 10.2.\r\n".utf8)
            try old.write { db in
                try db.execute(sql: """
                    INSERT INTO outbox_body (kind, subject, content, created_at) VALUES ('notice', 'JYRY 10.2.', x'0d0a', 0);
                    INSERT INTO outbox (body_id, recipient, envelope_from, state, attempts, next_attempt_at, last_answer, queued_at)
                    VALUES (1, 'pia.kangas@example.fi', 'jarjestotyo@pohde.example.fi', 'queued', 0, 5, NULL, 0),
                           (1, 'heidi.lotjonen@example.fi', 'jarjestotyo@pohde.example.fi', 'sent', 1, 0, '250 2.0.0 Ok', 0),
                           (1, 'mikko.jarvinen@example.fi', 'jarjestotyo@pohde.example.fi', 'deferred', 2, 3, '451 4.3.0 later', 0),
                           (1, 'poistettu@example.fi', 'jarjestotyo@pohde.example.fi', 'queued', 0, 0, NULL, 0);
                    INSERT INTO outbox_content (outbox_id, headers) SELECT id, ? FROM outbox;
                    DELETE FROM outbox WHERE recipient = 'poistettu@example.fi';
                    """, arguments: [Data(header)])
            }
            try old.close()
            let store = try Store(path: path)
            let outbox = Outbox(store: store)
            let counts = try outbox.counts()
            #expect(counts.queued == 1 && counts.sent == 1 && counts.deferred == 1)
            // Due order kept (the deferred row fell due first), and each row still has its header block.
            let claimed = try outbox.claim(limit: 10, now: Date(timeIntervalSince1970: 10))
            #expect(claimed.map(\.recipient) == ["mikko.jarvinen@example.fi", "pia.kangas@example.fi"])
            #expect(claimed.map(\.id) == [3, 1])
            #expect(claimed.allSatisfy { $0.header == header })
            #expect(claimed.first?.attempts == 2)
            // The row deleted before the upgrade had id 4: the next message gets 5.
            let next = try store.write { db in
                try db.execute(sql: """
                    INSERT INTO outbox (body_id, recipient, envelope_from, state, next_attempt_at, queued_at)
                    VALUES (1, 'uusi@example.fi', 'jarjestotyo@pohde.example.fi', 'queued', 0, 0)
                    """)
                return db.lastInsertedRowID
            }
            #expect(next == 5)
            #expect(throws: DatabaseError.self) {
                try store.write { db in try db.execute(sql: "UPDATE outbox SET state = 'lost' WHERE id = 1") }
            }
            let indexes = try store.read { db in
                try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'outbox' ORDER BY name")
            }
            #expect(indexes.contains("outbox_due") && indexes.contains("outbox_body_rows"))
            #expect(try store.read { db in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check") }.isEmpty)
        }
    }

    /// The first start after an upgrade is often two at once (the service, and an admin's command):
    /// every one opens the old file without error, and the file is migrated once, keeping its mail.
    @Test func severalProcessesOpeningAnOldFileAtOnceAllSucceed() throws {
        guard let before = migration(before: "v7 ") else { return }
        for _ in 0..<5 {
            try withDatabasePath { path in
                let old = try oldDatabase(at: path, upTo: before)
                try old.write { db in
                    try db.execute(sql: """
                        INSERT INTO outbox_body (kind, subject, content, created_at) VALUES ('notice', 'JYRY 10.2.', x'0d0a', 0);
                        INSERT INTO outbox (body_id, recipient, envelope_from, state, next_attempt_at, queued_at)
                        VALUES (1, 'pia.kangas@example.fi', 'jarjestotyo@pohde.example.fi', 'queued', 0, 0);
                        INSERT INTO outbox_content (outbox_id, headers) VALUES (1, x'546f3a');
                        """)
                }
                try old.close()
                // Each Store has its own SQLite connections: to the file, they are separate processes.
                let failures = Mutex([String]())
                DispatchQueue.concurrentPerform(iterations: 4) { _ in
                    do {
                        _ = try Store(path: path)
                    } catch {
                        failures.withLock { $0.append("\(error)") }
                    }
                }
                #expect(failures.withLock { $0 } == [])
                let store = try Store(path: path)
                #expect(try store.appliedMigrations() == Store.migrator.migrations)
                #expect(try Outbox(store: store).claim(limit: 10, now: Date()).map(\.recipient) == ["pia.kangas@example.fi"])
            }
        }
    }

    @Test func aFolderThatCannotBeMadeIsReportedWithThePath() {
        #expect {
            try Store(path: "/proc/tiedotin/state/tiedotin.sqlite")
        } throws: { error in
            "\(error)".contains("/proc/tiedotin/state/tiedotin.sqlite") && "\(error)".contains("paths.database")
        }
    }

    static func pragmas(_ db: Database) throws -> (String?, Int?, Int?) {
        (try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA synchronous"),
         try Int.fetchOne(db, sql: "PRAGMA mmap_size"))
    }

    static func schema(_ store: Store) throws -> [String] {
        try store.read { db in
            try String.fetchAll(db, sql: "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name")
        }
    }
}
