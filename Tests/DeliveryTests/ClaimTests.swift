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
}
