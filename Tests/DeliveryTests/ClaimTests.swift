import Foundation
import GRDB
import Testing
import TestSupport
@testable import TiedotinCore

/// A claim changes no row, so the round alone keeps a message from going twice. These tests put
/// that to a real SMTP server while something else changes the rows under the round.
@Suite(.serialized) struct ClaimTests {
    /// `outbox retry` (another process) makes deferred rows due anew while the round holds them:
    /// one on the wire, the rest claimed and waiting. The round's next claim meets them all again
    /// past its cursor; each still goes once.
    @Test func outboxRetryDuringARoundSendsNothingTwice() async throws {
        var options = SMTPTestServer.Options()
        options.delays = [.init(stage: .dataEnd, seconds: 2, times: 1)]
        try await withSMTPTestServer(options) { server in
            // 300 members and one connection: the first claim reads 128 rows, the next comes when
            // fewer than 64 of them wait, well after the retry.
            let fixture = try DeliveryFixture(mail: DeliveryFixture.smtp(server), members: 300)
            try fixture.announce()
            let queued = try fixture.outbox.counts().queued
            #expect(queued == 300)
            // Every row failed once before and is due again now.
            try fixture.store.write { db in
                try db.execute(sql: "UPDATE outbox SET state = 'deferred', attempts = 1, next_attempt_at = ?", arguments: [Date().timeIntervalSince1970 - 60])
            }
            let engine = try fixture.engine()
            let round = Task { await engine.deliverDue() }
            _ = try await server.waitForEvents(timeout: .seconds(20)) { $0.contains { $0.kind == .delay } }
            // As `tiedotin outbox retry` does, from outside the round.
            let retried = try fixture.outbox.retryNow(includeFailed: false, now: Date())
            #expect(!retried.sends.isEmpty)
            let report = await round.value
            let more = await engine.deliverDue()

            let recipients = try server.messages().flatMap(\.recipients)
            #expect(recipients.count == 300, "each of 300 once, got \(recipients.count)")
            #expect(Set(recipients).count == 300)
            #expect(report.sent + more.sent == 300)
            let counts = try fixture.outbox.counts()
            #expect(counts.sent == 300 && counts.queued == 0 && counts.deferred == 0, "\(counts)")
            let attempts = try fixture.store.read { db in try Int.fetchAll(db, sql: "SELECT DISTINCT attempts FROM outbox") }
            #expect(attempts == [2], "one attempt each after the earlier one")
            // Each sent row keeps the relay's answer and when it went.
            let rows = try fixture.store.read { db in
                try Row.fetchAll(db, sql: "SELECT last_code, last_answer, sent_at, last_attempt_at FROM outbox")
            }
            #expect(rows.allSatisfy { ($0["last_code"] as Int?) == 250 })
            #expect(rows.allSatisfy { ($0["last_answer"] as String?)?.hasPrefix("250 ") == true }, "\(rows.first.map { "\($0)" } ?? "")")
            #expect(rows.allSatisfy { ($0["sent_at"] as Double?) != nil && ($0["sent_at"] as Double?) == ($0["last_attempt_at"] as Double?) })
        }
    }

    /// The claims thread runs only when a core is idle, so on a machine busy with other work it
    /// may not get one for a long time. The connections then claim for themselves: with no such
    /// thread at all (the path a starved one leaves), and with one racing them for every batch of
    /// 16 rows (claims from the same cursor, the later dropped), every member gets the message once.
    @Test(arguments: [false, true])
    func connectionsClaimForThemselvesAndNothingGoesTwice(claimsAhead: Bool) async throws {
        try await withSMTPTestServer { server in
            let fixture = try DeliveryFixture(mail: DeliveryFixture.smtp(server), connections: 4, members: 300)
            try fixture.announce()
            var settings = DeliveryEngine.Settings(fixture.configuration.mail)
            settings.claimBatch = 16
            settings.claimsAhead = claimsAhead
            let engine = try DeliveryEngine(
                outbox: fixture.outbox, transport: try fixture.transport(), settings: settings, clock: SystemClock(), logger: DeliveryFixture.silent)
            let report = await engine.deliverDue()

            let recipients = try server.messages().flatMap(\.recipients)
            #expect(recipients.count == 300, "each of 300 once, got \(recipients.count)")
            #expect(Set(recipients).count == 300)
            #expect(report.sent == 300 && report.databaseError == nil, "\(report)")
            let counts = try fixture.outbox.counts()
            #expect(counts.sent == 300 && counts.queued == 0, "\(counts)")
        }
    }

    /// The claims thread asks Linux to run it only when a core would otherwise be idle
    /// (`SCHED_IDLE`, policy 5 in /proc), while a round is on.
    @Test func theClaimsThreadRunsOnlyWhenACoreIsIdle() async throws {
        var options = SMTPTestServer.Options()
        options.delays = [.init(stage: .dataEnd, seconds: 2, times: 1)]
        try await withSMTPTestServer(options) { server in
            // 300 rows: after the first claim of 256 the thread waits for them to run low, on through the delay.
            let fixture = try DeliveryFixture(mail: DeliveryFixture.smtp(server), members: 300)
            try fixture.announce()
            let engine = try fixture.engine()
            let round = Task { await engine.deliverDue() }
            _ = try await server.waitForEvents(timeout: .seconds(20)) { $0.contains { $0.kind == .delay } }
            let policies = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/task").compactMap { task -> Int? in
                guard let name = try? String(contentsOfFile: "/proc/self/task/\(task)/comm", encoding: .utf8),
                      name.trimmingCharacters(in: .newlines) == "claims",
                      let stat = try? String(contentsOfFile: "/proc/self/task/\(task)/stat", encoding: .utf8) else { return nil }
                // The fields after the name in parentheses; the policy is field 41 of the line.
                let fields = stat[stat.index(after: stat.lastIndex(of: ")")!)...].split(separator: " ")
                return Int(fields[38])
            }
            let report = await round.value
            #expect(!policies.isEmpty, "a claims thread runs during the round")
            #expect(policies.allSatisfy { $0 == 5 }, "SCHED_IDLE: \(policies)")
            #expect(report.sent == 300)
        }
    }

    /// An unsubscribe while the person's message is on the wire (claimed, or sent with its result
    /// still in the results journal) takes the row back. When the result comes, the row says what
    /// happened: a message the relay took is sent; one that was deferred stays taken back and does
    /// not go again. Taking back is no hand-off, so it counts nothing against `mail.rate`.
    @Test func aMessageOnTheWireWhenItsPersonUnsubscribesEndsAsWhatHappenedToIt() throws {
        let folder = TemporaryFolder("withdrawn")
        let store = try Store(path: folder.appending("tiedotin.sqlite"))
        let outbox = Outbox(store: store)
        let lists = MemberLists(store: store, networks: ["jyry"])
        let people = ["pia.kangas@example.fi", "heidi.lotjonen@example.fi", "eero.kylmanen@example.fi"]
        let start = Date()
        for person in people { _ = try lists.add(email: person, networks: ["jyry"], name: nil, at: start) }
        try outbox.enqueue(OutboxSend(
            kind: "newsletter", subject: "Järjestö- ja seurakuntatiedote 1/2027", body: Array("\r\nTervetuloa!\r\n".utf8),
            messages: people.map { OutboxMessage(recipient: $0, envelopeSender: "jarjestotyo@pohde.example.fi", header: Array("To: \($0)\r\n".utf8)) }
        ), at: start)
        let claimed = try outbox.claim(limit: 3, now: Date())
        #expect(claimed.map(\.recipient) == people)

        // Pia's and Heidi's messages are on the wire when they unsubscribe; Eero's is claimed, not tried.
        for person in ["Pia.Kangas@EXAMPLE.fi", "heidi.lotjonen@example.fi", "eero.kylmanen@example.fi"] {
            #expect(try store.unsubscribe(email: person, scope: .notices, source: "one-click", at: Date()).withdrawn == 1)
        }
        #expect(try outbox.counts().failed == 3)
        #expect(try outbox.handoffs(since: start).isEmpty, "taking back is no hand-off")

        let at = Date()
        let written = try outbox.record(ResultBatch(unjournaled: [
            AttemptResult(id: claimed[0].id, attemptsBefore: 0, recipient: people[0], verdict: .sent, handedOff: true, code: 250,
                          answer: "250 2.0.0 Ok: queued as 4ZQ0bM1x", at: at),
            AttemptResult(id: claimed[1].id, attemptsBefore: 0, recipient: people[1], verdict: .deferred(until: at.addingTimeInterval(60)),
                          handedOff: true, code: 451, answer: "451 4.3.0 Yritä myöhemmin", at: at),
        ]))
        #expect(written == [claimed[0].id, claimed[1].id])
        let rows = try store.read { db in
            try Row.fetchAll(db, sql: "SELECT state, attempts, last_answer FROM outbox ORDER BY id").map {
                "\($0["state"] as String) \($0["attempts"] as Int) \($0["last_answer"] as String)"
            }
        }
        #expect(rows == [
            "sent 1 250 2.0.0 Ok: queued as 4ZQ0bM1x",
            "failed 0 not sent: unsubscribed (one-click) before it went",
            "failed 0 not sent: unsubscribed (one-click) before it went",
        ])
        let handoffs = try outbox.handoffs(since: start)
        #expect(handoffs.count == 1 && abs(handoffs[0].timeIntervalSince(at)) < 0.001, "only the message the relay took")
        // Written again (a crash replays the journal), the result changes nothing.
        _ = try outbox.record(ResultBatch(unjournaled: [
            AttemptResult(id: claimed[0].id, attemptsBefore: 0, recipient: people[0], verdict: .sent, handedOff: true, code: 250,
                          answer: "250 again", at: at.addingTimeInterval(1)),
        ]))
        #expect(try outbox.counts().sent == 1)
        #expect(try outbox.claim(limit: 3, now: Date().addingTimeInterval(120)).isEmpty, "nothing goes again")
    }
}
