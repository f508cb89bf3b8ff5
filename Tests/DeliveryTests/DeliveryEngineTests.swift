import Foundation
import Logging
import Testing
import TestSupport
@testable import TiedotinCore

/// The engine over a real SQLite outbox and a real Maildir, with the clock injected.
@Suite struct DeliveryEngineTests {
    let folder = TemporaryFolder("delivery")

    func makeOutbox() throws -> Outbox {
        Outbox(store: try Store(path: folder.appending("tiedotin.sqlite")))
    }

    @discardableResult
    func queue(_ outbox: Outbox, recipients: [String], at date: Date, subject: String = "Aamukahvit joulukuussa") throws -> Int64 {
        let messages = recipients.map { recipient in
            OutboxMessage(
                recipient: recipient, envelopeSender: "jarjestotyo@pohde.example.fi",
                header: Array("From: jarjestotyo@pohde.example.fi\r\nTo: \(recipient)\r\nSubject: \(subject)\r\nMIME-Version: 1.0\r\n".utf8))
        }
        let body = Array("Content-Type: text/plain; charset=utf-8\r\n\r\nTervetuloa aamukahville!\r\n".utf8)
        return try outbox.enqueue(OutboxSend(kind: "notice", subject: subject, body: body, messages: messages), at: date)
    }

    func engine(_ outbox: Outbox, clock: ManualClock, transport: any MailTransport, perMinute: Int = 0, perDay: Int = 0, connections: Int = 1) throws -> DeliveryEngine {
        try DeliveryEngine(
            outbox: outbox, transport: transport,
            settings: .init(
                connections: connections,
                retry: .init(first: .seconds(60), maxInterval: .seconds(3600), giveUpAfter: .seconds(3 * 86_400)),
                rate: .init(perMinute: perMinute, perDay: perDay)),
            clock: clock, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
    }

    func maildirFiles() -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: folder.appending("maildir/new"))) ?? []
    }

    @Test func maildirReceivesOneFilePerRecipientAndOutboxMarksThemSent() async throws {
        let outbox = try makeOutbox()
        let clock = ManualClock()
        let recipients = (1...5).map { "jasen\($0)@example.fi" }
        try queue(outbox, recipients: recipients, at: clock.now)
        let round = try await engine(outbox, clock: clock, transport: MaildirTransport(folder: folder.appending("maildir"))).deliverDue()
        #expect(round.sent == 5)
        #expect(try outbox.counts().sent == 5)
        let files = maildirFiles()
        #expect(files.count == 5)
        let first = try String(contentsOfFile: folder.appending("maildir/new/" + files[0]), encoding: .utf8)
        #expect(first.hasPrefix("Return-Path: <jarjestotyo@pohde.example.fi>\nDelivered-To: jasen"))
        #expect(!first.contains("\r\n"), "a Maildir file uses LF line endings")
        #expect(first.contains("Tervetuloa aamukahville!"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.appending("maildir/tmp")).isEmpty)
    }

    @Test func perMinuteCapIsNeverExceededInAnySixtySecondWindow() async throws {
        let outbox = try makeOutbox()
        let clock = ManualClock()
        try queue(outbox, recipients: (1...10).map { "jasen\($0)@example.fi" }, at: clock.now)
        let start = clock.now
        let round = try await engine(outbox, clock: clock, transport: MaildirTransport(folder: folder.appending("maildir")), perMinute: 3, connections: 2).deliverDue()
        #expect(round.sent == 10)
        let handoffs = try outbox.handoffs(since: start.addingTimeInterval(-1))
        #expect(handoffs.count == 10)
        for (index, time) in handoffs.enumerated() {
            let inWindow = handoffs[index...].prefix { $0.timeIntervalSince(time) < 60 }.count
            #expect(inWindow <= 3, "more than 3 hand-offs within 60 s from \(time)")
        }
        // Ten messages at three a minute take at least three minutes.
        #expect(clock.now.timeIntervalSince(start) >= 180)
    }

    @Test func perDayCapHoldsTheRestAndSurvivesARestart() async throws {
        let outbox = try makeOutbox()
        let clock = ManualClock()
        try queue(outbox, recipients: (1...8).map { "jasen\($0)@example.fi" }, at: clock.now)
        let transport = MaildirTransport(folder: folder.appending("maildir"))
        let first = try await engine(outbox, clock: clock, transport: transport, perDay: 5).deliverDue()
        #expect(first.sent == 5)
        #expect(first.dailyCapUntil == clock.now.addingTimeInterval(86_400))
        #expect(try outbox.counts().queued == 3)

        // A new engine (a restart) remembers the day's hand-offs from the database.
        clock.advance(by: 3600)
        let second = try await engine(outbox, clock: clock, transport: transport, perDay: 5).deliverDue()
        #expect(second.sent == 0)
        let report = try OutboxReport(outbox: outbox, rate: .init(perMinute: 0, perDay: 5), now: clock.now)
        #expect(report.rate.heldUntil != nil, "outbox status says until when the cap holds mail back")

        clock.advance(by: 86_400)
        let third = try await engine(outbox, clock: clock, transport: transport, perDay: 5).deliverDue()
        #expect(third.sent == 3)
        #expect(maildirFiles().count == 8)
    }

    @Test func aClaimChangesNoRowAndRowsAnOlderVersionLeftSendingGoAfterRecovery() async throws {
        let outbox = try makeOutbox()
        let clock = ManualClock()
        try queue(outbox, recipients: ["pia.kangas@example.fi", "heidi.lotjonen@example.fi", "eero.kylmanen@example.fi"], at: clock.now)
        // A crash right after claiming leaves the rows as they were: in line.
        #expect(try outbox.claim(limit: 2, now: clock.now).count == 2)
        #expect(try outbox.counts().queued == 3)
        // An older version marked claimed rows `sending`; recovery puts such rows back in line.
        try outbox.store.write { db in try db.execute(sql: "UPDATE outbox SET state = 'sending' WHERE id <= 2") }
        #expect(try outbox.recoverInterrupted() == .init(recorded: 0, requeued: 2))
        let round = try await engine(outbox, clock: clock, transport: MaildirTransport(folder: folder.appending("maildir"))).deliverDue()
        #expect(round.sent == 3)
        #expect(maildirFiles().count == 3)
    }

    /// Claims walk the due order with a cursor: rows due at the same moment are all taken, once,
    /// in order, and a row made due again after the cursor passed it is found by the next claim.
    @Test func claimsAfterACursorTakeEveryDueRowOnce() throws {
        let outbox = try makeOutbox()
        let clock = ManualClock()
        try queue(outbox, recipients: (1...7).map { "jasen\($0)@example.fi" }, at: clock.now)
        clock.advance(by: 1)
        try queue(outbox, recipients: (8...9).map { "jasen\($0)@example.fi" }, at: clock.now)
        var cursor: Outbox.ClaimCursor?
        var taken: [String] = []
        while true {
            let batch = try outbox.claim(limit: 3, now: clock.now, after: cursor)
            guard let last = batch.last else { break }
            taken += batch.map(\.recipient)
            cursor = .init(dueAt: last.dueAt, id: last.id)
        }
        #expect(taken == (1...9).map { "jasen\($0)@example.fi" })
        #expect(try outbox.claim(limit: 10, now: clock.now.addingTimeInterval(-0.5), after: nil).count == 7, "only rows due by then")

        // The first row is deferred by a minute (as its result would): once due, the cursor reaches it.
        try outbox.store.write { db in
            try db.execute(sql: "UPDATE outbox SET state = 'deferred', attempts = 1, next_attempt_at = ? WHERE recipient = 'jasen1@example.fi'",
                           arguments: [clock.now.timeIntervalSince1970 + 60])
        }
        #expect(try outbox.claim(limit: 3, now: clock.now, after: cursor).isEmpty)
        clock.advance(by: 61)
        #expect(try outbox.claim(limit: 3, now: clock.now, after: cursor).map(\.recipient) == ["jasen1@example.fi"])
    }

    @Test func theLockIsExclusiveAndNamesItsHolder() throws {
        let path = folder.appending("tiedotin.sqlite.lock")
        let lock = try DeliveryLock(path: path)
        #expect(DeliveryLock.holder(of: path) == getpid())
        // flock is per open file description, so a second open in the same process conflicts too.
        #expect(throws: DeliveryLockError.self) { try DeliveryLock(path: path) }
        lock.release()
        #expect(DeliveryLock.holder(of: path) == nil)
        _ = try DeliveryLock(path: path)
    }
}
