import Foundation
import GRDB
import Testing
import TestSupport
@testable import TiedotinCore

/// The database file is read through a memory map. A map outlives a file that shrinks under it, and
/// touching a page past the new end is SIGBUS, not an error: another process that makes the file
/// smaller while the service has it mapped must not bring the service down.
@Suite struct MappedFileTests {
    /// Another process deletes most rows, VACUUMs and checkpoints with TRUNCATE (the file is then
    /// a fraction of its size) between two reads of a store that has the whole file mapped: the
    /// second read sees the new contents, and the store writes on.
    @Test func aFileAnotherProcessShrinksUnderTheMapIsReadAndWrittenOn() throws {
        let folder = TemporaryFolder("store-mapped")
        let path = folder.appending("tiedotin.sqlite")
        let store = try Store(path: path)
        // Some 4 MB of member rows, so the map spans a thousand pages and the shrink leaves most unbacked.
        try store.write { db in
            let note = String(repeating: "Pohjois-Pohjanmaan järjestöyhteistyö ", count: 25)
            for index in 0..<4_000 {
                try db.execute(sql: """
                    INSERT INTO member (email, email_key, name, organisation, created_at, updated_at)
                    VALUES (?, ?, ?, ?, 0, 0)
                    """, arguments: ["jasen\(index)@yhdistys.example.fi", "jasen\(index)@yhdistys.example.fi", "Jäsen \(index)", note])
            }
        }
        // Into the file itself: pages still in the WAL are read from there, not through the map.
        try DatabaseQueue(path: path).writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
        let sizeBefore = try fileSize(path)
        // Every page is read through the map, and the map is in the process's address space.
        #expect(try store.read { db in try Int.fetchOne(db, sql: "SELECT sum(length(organisation)) FROM member") } ?? 0 > 3_000_000)
        let maps = try mappedFiles()
        let mapped = maps.contains(path)
        #expect(mapped, "the store should map its file; its files mapped: \(maps.filter { $0.hasPrefix(folder.path) })")

        let python = Repository.path(".venv/bin/python")
        let shrink = try ChildProcess.run(python, ["-c", """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1], isolation_level=None)
            db.execute("DELETE FROM member WHERE id > 10")
            db.execute("VACUUM")
            print(db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0])
            """, path])
        #expect(shrink.status == 0, "\(shrink.errors)")
        #expect(shrink.output.trimmingCharacters(in: .whitespacesAndNewlines) == "0", "the checkpoint should not have been blocked")
        #expect(try fileSize(path) < sizeBefore / 10, "the other process should have shrunk the file")

        #expect(try store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM member") } == 10)
        #expect(try store.read { db in try Int.fetchOne(db, sql: "SELECT sum(length(organisation)) FROM member") } ?? 0 < 20_000)
        try store.write { db in
            try db.execute(sql: """
                INSERT INTO member (email, email_key, name, created_at, updated_at)
                VALUES ('pia.kangas@example.fi', 'pia.kangas@example.fi', 'Pia Kangas', 0, 0)
                """)
        }
        #expect(try store.read { db in try String.fetchAll(db, sql: "SELECT name FROM member ORDER BY id DESC LIMIT 1") } == ["Pia Kangas"])
    }

    /// The files mapped into this process (`/proc/self/maps`, read to its end: it reports no size).
    private func mappedFiles() throws -> Set<String> {
        guard let maps = FileHandle(forReadingAtPath: "/proc/self/maps") else { return [] }
        defer { try? maps.close() }
        let text = String(decoding: try maps.readToEnd() ?? Data(), as: UTF8.self)
        return Set(text.split(separator: "\n").compactMap { line in
            line.firstIndex(of: "/").map { String(line[$0...]) }
        })
    }

    private func fileSize(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    }
}
