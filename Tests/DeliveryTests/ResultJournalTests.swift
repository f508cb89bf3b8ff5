import Foundation
import GRDB
import Logging
import Synchronization
import Testing
import TestSupport
@testable import TiedotinCore

/// The results journal: its lines read back as written, and after a crash the recovery writes what
/// it kept instead of sending those messages again.
@Suite struct ResultJournalTests {
    let folder = TemporaryFolder("journal")

    @Test func everyKindOfResultReadsBackAsWritten() throws {
        let at = Date(timeIntervalSince1970: 1_796_000_000.123_456)
        let results = [
            AttemptResult(
                id: 1, attemptsBefore: 0, recipient: "pia.kangas@example.fi", verdict: .sent, handedOff: true, code: 250,
                answer: "250 2.0.0 Ok: queued as 4Zx7", at: at),
            AttemptResult(
                id: 2, attemptsBefore: 3, recipient: "asa.lindqvist@seurakuntayhtymä.example.fi",
                verdict: .deferred(until: at.addingTimeInterval(960.5)), handedOff: false, code: nil,
                answer: "connection dropped\tafter\r\nDATA \\ backslash", at: at),
            AttemptResult(
                id: 3, attemptsBefore: 1, recipient: "eero.kylmanen@example.fi", verdict: .failed(addressUnknown: true),
                handedOff: true, code: 550, answer: "550 5.1.1 <eero.kylmanen@example.fi>: User unknown", at: at),
            AttemptResult(
                id: 4, attemptsBefore: 7, recipient: "heidi.lotjonen@example.fi", verdict: .failed(addressUnknown: false),
                handedOff: true, code: 554, answer: "gave up after 3d: 451 4.3.0 Yritä myöhemmin", at: at),
        ]
        let path = folder.appending("tiedotin.sqlite.results")
        let journal = try ResultJournal(path: path)
        for result in results {
            let line = ResultJournal.line(for: result)
            #expect(line.filter { $0 == UInt8(ascii: "\n") }.count == 1, "one line per result, whatever the answer holds")
            #expect(journal.append(line) != nil)
        }
        let read = try ResultJournal.results(at: path)
        #expect(read.map(\.id) == [1, 2, 3, 4])
        #expect(read.map(\.attemptsBefore) == [0, 3, 1, 7])
        #expect(read.map(\.recipient) == results.map(\.recipient))
        #expect(read.map(\.answer) == results.map(\.answer))
        #expect(read.map(\.code) == [250, nil, 550, 554])
        #expect(read.map(\.handedOff) == [true, false, true, true])
        #expect(read.allSatisfy { abs($0.at.timeIntervalSince(at)) < 0.000_001 }, "times read back to the microsecond")
        guard case .deferred(let until) = read[1].verdict, case .failed(true) = read[2].verdict,
              case .failed(false) = read[3].verdict, case .sent = read[0].verdict else {
            Issue.record("verdicts changed: \(read.map(\.verdict))")
            return
        }
        #expect(abs(until.timeIntervalSince(at.addingTimeInterval(960.5))) < 0.000_001)
        var info = stat()
        #expect(stat(path, &info) == 0 && info.st_mode & 0o777 == 0o600, "the journal is the service's alone")
    }

    /// A journal that cannot be opened (here a folder stands where the file goes): delivery says
    /// why, naming the path, and writes each result to the database before the next message.
    @Test func withoutAJournalEveryResultStillReachesTheOutbox() async throws {
        let store = try Store(path: folder.appending("tiedotin.sqlite"))
        let outbox = Outbox(store: store)
        try FileManager.default.createDirectory(atPath: outbox.journalPath, withIntermediateDirectories: true)
        let people = ["pia.kangas@example.fi", "heidi.lotjonen@example.fi", "eero.kylmanen@example.fi"]
        let messages = people.map { person in
            OutboxMessage(recipient: person, envelopeSender: "jarjestotyo@pohde.example.fi", header: Array("To: \(person)\r\n".utf8))
        }
        try outbox.enqueue(OutboxSend(kind: "notice", subject: "Aamukahvit", body: Array("\r\nTervetuloa!\r\n".utf8), messages: messages), at: Date())
        let log = CapturedLog()
        let engine = try DeliveryEngine(
            outbox: outbox, transport: MaildirTransport(folder: folder.appending("maildir")),
            settings: .init(
                connections: 2, retry: .init(first: .seconds(60), maxInterval: .seconds(3600), giveUpAfter: .seconds(86_400)),
                rate: .init(perMinute: 0, perDay: 0)),
            clock: SystemClock(), logger: log.logger())
        let round = await engine.deliverDue()
        #expect(round.sent == 3)
        #expect(try outbox.counts().sent == 3)
        #expect(try outbox.counts().sending == 0)
        #expect(log.text.contains("delivery results journal \(outbox.journalPath)"), "\(log.text)")
        #expect(log.text.contains("Meanwhile each delivery result is written to the database before the next message."))
    }

    @Test func aLineCutShortByACrashAndAForeignLineAreSkipped() throws {
        let path = folder.appending("tiedotin.sqlite.results")
        var text: [UInt8] = []
        text += ResultJournal.line(for:
            AttemptResult(
                id: 9, attemptsBefore: 0, recipient: "aino.korhonen@example.fi", verdict: .sent, handedOff: true, code: 250,
                answer: "250 ok", at: Date()))
        text += Array("r9\tsomething a later version wrote\n".utf8)
        // A line of the journal before the ring (no checksum) still reads.
        text += Array("r1\t10\t2\tfailed\t1796000000000000\t\t1\t554\tsanna.laine@example.fi\t554 5.7.1 Ei käy\n".utf8)
        text += text.prefix(20)  // the write a crash cut short
        try Data(text).write(to: URL(fileURLWithPath: path))
        #expect(try ResultJournal.results(at: path).map(\.id) == [9, 10])
        #expect(try ResultJournal.results(at: path).last?.answer == "554 5.7.1 Ei käy")
        #expect(try ResultJournal.results(at: folder.appending("missing.results")).isEmpty)
    }

    /// The ring's room is reused once the database has the lines in it, and never before; a line
    /// is never split at the end of the file; a new line a crash left half-copied over an old one
    /// fails its checksum and is skipped, however much of either is left.
    @Test func theRingReusesOnlyRoomTheDatabaseHasAndATornLineIsSkipped() throws {
        let path = folder.appending("tiedotin.sqlite.results")
        let journal = try ResultJournal(path: path, capacity: 1024)
        func line(_ id: Int64, _ answer: String = "250 2.0.0 Ok: queued as 4ZQ0bM1x") -> [UInt8] {
            ResultJournal.line(for:
                AttemptResult(id: id, attemptsBefore: 0, recipient: "jasen\(id)@example.fi", verdict: .sent, handedOff: true, code: 250,
                              answer: answer, at: Date(timeIntervalSince1970: 1_796_000_000)))
        }
        var ends: [Int] = []
        var id: Int64 = 1
        while let end = journal.append(line(id)) {
            ends.append(end)
            id += 1
        }
        let fitted = ends.count
        #expect(fitted >= 6, "about 120 bytes a line in 1 KiB")
        #expect(try ResultJournal.results(at: path).map(\.id) == Array(1...Int64(fitted)))
        // Full until the database has some: then exactly that room comes free.
        #expect(journal.append(line(id)) == nil)
        journal.taken(through: ends[1])
        #expect(journal.append(line(id)) != nil, "two lines' room is free")
        #expect(journal.append(line(id + 1)) == nil, "and no more")
        // Nothing the database lacks was written over: lines 3 and later are all still there.
        let held = try ResultJournal.results(at: path).map(\.id)
        #expect(Set(held).isSuperset(of: Set(3...Int64(fitted))))
        #expect(held.contains(id))

        // A crash in the middle of copying a new line over an old one.
        let old = line(500, "250 2.0.0 Ok: queued as AAAAAAAAAAAAAAAAAAAAAAAAAAA")
        let new = line(7, "550 5.1.1 <jasen7@example.fi>: User unknown")
        for cut in stride(from: 1, to: min(old.count, new.count) - 1, by: 7) {
            try Data(Array(new.prefix(cut)) + Array(old.dropFirst(cut))).write(to: URL(fileURLWithPath: folder.appending("torn.results")))
            let read = try ResultJournal.results(at: folder.appending("torn.results"))
            // Where the cut falls inside bytes both lines share, what is there is simply the old line.
            #expect(read.allSatisfy { $0.id == 500 && $0.answer.hasSuffix("AAAAAAAAAAAAAAAAAAAAAAAAAAA") }, "torn at \(cut): \(read.map(\.id))")
        }
    }

    /// What the writer reads back for the database is exactly the lines not yet taken, in order,
    /// across the end of the ring: not the old bytes left before the end where a line did not fit,
    /// even when an older line starts there whole.
    @Test func theWriterReadsBackExactlyTheLinesNotTakenAcrossTheEndOfTheRing() throws {
        let journal = try ResultJournal(path: folder.appending("tiedotin.sqlite.results"), capacity: 1024)
        func line(_ id: Int64, answer: Int) -> [UInt8] {
            ResultJournal.line(for:
                AttemptResult(id: id, attemptsBefore: 0, recipient: "jasen\(id)@example.fi", verdict: .sent, handedOff: true, code: 250,
                              answer: "250 2.0.0 Ok: " + String(repeating: "x", count: answer), at: Date(timeIntervalSince1970: 1_796_000_000)))
        }
        func readBack(_ range: Range<Int>, chunk: Int = 1024) throws -> [Int64] {
            var ids: [Int64] = []
            try journal.forEachResult(from: range.lowerBound, through: range.upperBound, chunk: chunk) { ids += $0.map(\.id) }
            return ids
        }
        // The first lap: lines of one length (two-digit ids), all taken by the database.
        let length = line(11, answer: 20).count
        var end = 0
        var firstLap: [Int64] = []
        var id: Int64 = 11
        while end + length <= 1024 {
            end = try #require(journal.append(line(id, answer: 20)))
            firstLap.append(id)
            id += 1
        }
        #expect(try readBack(0..<end) == firstLap)
        #expect(try readBack(0..<end, chunk: 3) == firstLap, "the same in chunks")
        journal.taken(through: end)
        // The second lap starts at the beginning (the rest did not fit) and is one line shorter, so it
        // ends where the first lap's last line starts, whole.
        var ends: [Int] = []
        for id in Int64(21)..<Int64(21 + firstLap.count - 1) {
            end = try #require(journal.append(line(id, answer: 20)))
            ends.append(end)
        }
        #expect(end % 1024 == (firstLap.count - 1) * length)
        // The database takes four; a long line does not fit before the end of the file and goes to
        // the beginning, over room the database has.
        journal.taken(through: ends[3])
        let long = line(200, answer: 300)
        #expect(end % 1024 + long.count > 1024)
        end = try #require(journal.append(long))
        let waiting = Array(Int64(25)..<Int64(21 + firstLap.count - 1)) + [200]
        #expect(try readBack(ends[3]..<end) == waiting, "not the first lap's last line, left whole before the end")
        #expect(try readBack(ends[3]..<end, chunk: 2) == waiting)
    }

    /// Delivery writes each result's line straight into the ring (`append(_:AttemptResult)`): the
    /// bytes are those `line(for:)` makes, and lap after lap of the ring every result reads back
    /// once, in order, escapes and all.
    @Test func resultsWrittenInPlaceReadBackLapAfterLap() throws {
        let path = folder.appending("tiedotin.sqlite.results")
        let journal = try ResultJournal(path: path, capacity: 1024)
        let results = (Int64(1)...60).map { id in
            AttemptResult(
                id: id, attemptsBefore: Int(id % 4), recipient: "jäsen\(id)@seurakuntayhtymä.example.fi",
                verdict: id % 3 == 0 ? .deferred(until: Date(timeIntervalSince1970: 1_796_000_960)) : .sent, handedOff: id % 3 != 0,
                code: id % 3 == 0 ? 451 : 250,
                answer: id % 3 == 0 ? "451 4.3.0 Yritä\tmyöhemmin\r\n\\" : "250 2.0.0 Ok: queued as 4ZQ0bM\(id)",
                at: Date(timeIntervalSince1970: 1_796_000_000.25))
        }
        let first = try #require(journal.append(results[0]))
        let written = try #require(FileManager.default.contents(atPath: path))
        #expect(Array(written.prefix(first)) == ResultJournal.line(for: results[0]), "the same bytes as the line made apart")

        var read: [AttemptResult] = []
        var start = 0
        var end = first
        for result in results.dropFirst() {
            if let next = journal.append(result) {
                end = next
                continue
            }
            // Full: the database takes what waits, and the line goes in the room that frees.
            try journal.forEachResult(from: start, through: end, chunk: 7) { read += $0 }
            journal.taken(through: end)
            start = end
            end = try #require(journal.append(result))
        }
        try journal.forEachResult(from: start, through: end, chunk: 7) { read += $0 }
        #expect(end > 3 * 1024, "several laps of the ring")
        #expect(read.map(\.id) == results.map(\.id))
        #expect(read.map(\.answer) == results.map(\.answer))
        #expect(read.map(\.recipient) == results.map(\.recipient))
        #expect(read.map(\.attemptsBefore) == results.map(\.attemptsBefore))
        #expect(read.map(\.code) == results.map(\.code))
    }

    /// A round's end marks the journal empty without shrinking it: the next start reads nothing,
    /// and the next round's journal is the same file with the same blocks, written over from its
    /// start; after a crash its new lines read back (the old ones behind them the database has).
    @Test func anEmptiedJournalKeepsItsFileAndTheNextRoundWritesOverIt() throws {
        let path = folder.appending("tiedotin.sqlite.results")
        func result(_ id: Int64) -> AttemptResult {
            AttemptResult(id: id, attemptsBefore: 0, recipient: "jasen\(id)@example.fi", verdict: .sent, handedOff: true, code: 250,
                          answer: "250 2.0.0 Ok: queued as 4ZQ0bM\(id)", at: Date(timeIntervalSince1970: 1_796_000_000))
        }
        func file() -> stat {
            var info = stat()
            _ = stat(path, &info)
            return info
        }
        var round: ResultJournal? = try ResultJournal(path: path, capacity: 4096)
        for id in Int64(1)...20 { #expect(round?.append(result(id)) != nil) }
        #expect(try ResultJournal.results(at: path).map(\.id) == Array(1...20), "a crash now would write all twenty")
        round?.clear()
        round = nil
        #expect(try ResultJournal.results(at: path).isEmpty, "the next start reads nothing")
        let emptied = file()
        #expect(emptied.st_size == 4096, "the file keeps its size")

        let next = try ResultJournal(path: path, capacity: 4096)
        #expect(file().st_ino == emptied.st_ino && file().st_size == 4096 && file().st_blocks == emptied.st_blocks)
        #expect(try ResultJournal.results(at: path).isEmpty, "a new round that has handed in nothing holds nothing")
        #expect(next.append(result(101)) != nil && next.append(result(102)) != nil)
        let afterCrash = try ResultJournal.results(at: path).map(\.id)
        #expect(Array(afterCrash.prefix(2)) == [101, 102], "\(afterCrash)")
        #expect(!afterCrash.contains(1), "the old line written over is not read as a result")

        // The start after that crash marks it empty once the database has what it held.
        try ResultJournal.clear(at: path)
        #expect(try ResultJournal.results(at: path).isEmpty)
        #expect(file().st_size == 4096)
        try ResultJournal.clear(at: folder.appending("missing.results"))
    }

    /// A crash after the relay took messages whose results only the journal holds: the next start
    /// writes them, leaves the rows with no result in line to go again, and ignores a stale result.
    @Test func recoveryWritesTheJournalsResultsAndSendsOnlyTheRest() throws {
        let store = try Store(path: folder.appending("tiedotin.sqlite"))
        let outbox = Outbox(store: store)
        let lists = MemberLists(store: store, networks: ["jyry"])
        let people = ["pia.kangas@example.fi", "heidi.lotjonen@example.fi", "eero.kylmanen@example.fi", "aino.korhonen@example.fi"]
        for person in people { _ = try lists.add(email: person, networks: ["jyry"], name: nil, at: Date()) }
        let messages = people.map { person in
            OutboxMessage(recipient: person, envelopeSender: "jarjestotyo@pohde.example.fi", header: Array("To: \(person)\r\n".utf8))
        }
        try outbox.enqueue(OutboxSend(kind: "notice", subject: "Aamukahvit", body: Array("\r\nTervetuloa!\r\n".utf8), messages: messages), at: Date())
        let claimed = try outbox.claim(limit: 4, now: Date())
        #expect(claimed.count == 4)

        let now = Date()
        let journal = try ResultJournal(path: outbox.journalPath)
        var lines: [UInt8] = []
        lines += ResultJournal.line(for:
            AttemptResult(id: claimed[0].id, attemptsBefore: 0, recipient: people[0], verdict: .sent, handedOff: true, code: 250, answer: "250 2.0.0 Ok", at: now))
        lines += ResultJournal.line(for:
            AttemptResult(
                id: claimed[2].id, attemptsBefore: 0, recipient: people[2], verdict: .failed(addressUnknown: true), handedOff: true,
                code: 550, answer: "550 5.1.1 User unknown", at: now))
        // A result for an earlier attempt than the row's: it must change nothing.
        lines += ResultJournal.line(for:
            AttemptResult(id: claimed[3].id, attemptsBefore: 5, recipient: people[3], verdict: .sent, handedOff: true, code: 250, answer: "250 old", at: now))
        #expect(journal.append(lines) != nil)

        #expect(try outbox.recoverInterrupted() == .init(recorded: 2, requeued: 0))
        let states = try store.read { db in
            try Row.fetchAll(db, sql: "SELECT recipient, state, attempts, last_code FROM outbox ORDER BY id").map {
                "\($0["recipient"] as String) \($0["state"] as String) \($0["attempts"] as Int) \(($0["last_code"] as Int?).map(String.init) ?? "-")"
            }
        }
        #expect(states == [
            "pia.kangas@example.fi sent 1 250",
            "heidi.lotjonen@example.fi queued 0 -",
            "eero.kylmanen@example.fi failed 1 550",
            "aino.korhonen@example.fi queued 0 -",
        ])
        #expect(try lists.list().first { $0.email == people[2] }?.undeliverable?.contains("550") == true, "the unknown address is marked")
        #expect(try ResultJournal.results(at: outbox.journalPath).isEmpty, "the journal is emptied")
        #expect(try outbox.recoverInterrupted() == .init(recorded: 0, requeued: 0), "a second recovery finds nothing")
    }
}

/// The writer in front of a database that is locked for a while: connections go on while the
/// ring has room, wait when it is full, and every result goes in, in order, once it opens.
@Suite struct ResultWriterTests {
    let folder = TemporaryFolder("writer")

    @Test func aFullRingMakesConnectionsWaitForTheDatabaseAndLosesNothing() async throws {
        let probe = WriterProbe()
        let writer = ResultWriter(
            journalPath: folder.appending("tiedotin.sqlite.results"), journalCapacity: 2048,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        ) { batch in
            probe.waitUntilOpen()
            do {
                try batch.forEachChunk { chunk in probe.written.withLock { $0 += chunk.map(\.id) } }
            } catch {
                Issue.record(error)
            }
            return true
        }
        let connection = Thread {
            for id in Int64(1)...200 {
                let result = AttemptResult(
                    id: id, attemptsBefore: 0, recipient: "jasen\(id)@example.fi", verdict: .sent, handedOff: true, code: 250,
                    answer: "250 2.0.0 Ok: queued as 4ZQ0bM1x", at: Date())
                _ = writer.submit(result)
                probe.submitted.withLock { $0 += 1 }
            }
        }
        connection.start()
        // About 130 bytes a line in 2 KiB: the connection stops after some fifteen, however long we wait.
        try await Task.sleep(for: .milliseconds(800))
        let stalled = probe.submitted.withLock { $0 }
        #expect(stalled > 5 && stalled < 40, "waits when the ring is full: \(stalled) handed in")
        #expect(probe.written.withLock { $0 }.isEmpty, "the database took nothing yet")
        let journaled = try ResultJournal.results(at: folder.appending("tiedotin.sqlite.results")).map(\.id)
        #expect(Set(journaled).isSuperset(of: Set(1...Int64(stalled))), "every result handed in is in the journal")

        probe.open()
        while probe.submitted.withLock({ $0 }) < 200 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(writer.finish())
        #expect(probe.written.withLock { $0 } == Array(1...200), "every result, once, in the order handed in")
        #expect(try ResultJournal.results(at: folder.appending("tiedotin.sqlite.results")).isEmpty, "emptied at the end")
    }
}

/// A database that takes nothing until `open` is called, and what went through the writer.
private final class WriterProbe: Sendable {
    private let isOpen = Mutex(false)
    let written = Mutex<[Int64]>([])
    let submitted = Mutex(0)

    func open() { isOpen.withLock { $0 = true } }

    func waitUntilOpen() {
        while !isOpen.withLock({ $0 }) { usleep(10_000) }
    }
}
