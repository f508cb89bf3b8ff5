import Foundation
import Logging
import MIME
import Synchronization
import Testing
import TestSupport
@testable import TiedotinCore

/// The faults a review reproduced against a real SMTP server and a real database (issue 7), each
/// failing on the code before its fix.
@Suite(.serialized) struct DeliveryFaultTests {
    /// Fault 1: the relay's 5xx for an address whose domain has a capital non-ASCII letter finds the
    /// member by the one key rule (SQL's `lower` folds ASCII only), though the relay saw the A-label.
    @Test func aPermanentFailureMarksAMemberWhoseDomainHasACapitalNonASCIILetter() async throws {
        let address = "asa.lindqvist@SEURAKUNTAYHTYMÄ.example.fi"
        let onTheWire = "asa.lindqvist@xn--seurakuntayhtym-flb.example.fi"
        var options = SMTPTestServer.Options()
        options.rejectRecipients = [onTheWire: "550 5.1.1 <\(onTheWire)>: Recipient address rejected: User unknown"]
        try await withSMTPTestServer(options) { server in
            let fixture = try DeliveryFixture(mail: DeliveryFixture.smtp(server), members: 1)
            try fixture.lists.add(email: address, networks: ["ikaihmiset"], name: "Åsa Lindqvist", at: Date())
            try fixture.announce()
            let round = try await fixture.engine().deliverDue()
            #expect(round.sent == 1)
            #expect(round.failed == 1)
            let member = try #require(try fixture.member(address))
            #expect(member.undeliverable == "550 5.1.1 <\(onTheWire)>: Recipient address rejected: User unknown")
            #expect(try fixture.member(DeliveryFixture.people[0].email)?.undeliverable == nil)
        }
    }

    /// Fault 5: an internationalised domain goes as its A-label in RCPT TO, to a relay without SMTPUTF8.
    @Test func anInternationalDomainGoesAsItsALabelInTheEnvelope() async throws {
        var options = SMTPTestServer.Options()
        options.smtputf8 = false
        try await withSMTPTestServer(options) { server in
            let fixture = try DeliveryFixture(mail: DeliveryFixture.smtp(server), members: 0)
            try fixture.lists.add(email: "pia@yhdistyslä.example.fi", networks: ["ikaihmiset"], name: "Pia Kangas", at: Date())
            try fixture.announce()
            let round = try await fixture.engine().deliverDue()
            let answers = try fixture.outbox.deferred().map(\.answer) + fixture.outbox.failures().map(\.answer)
            #expect(round.sent == 1, "\(answers)")
            let messages = try server.messages()
            #expect(messages.map(\.recipients) == [["pia@xn--yhdistysl-32a.example.fi"]])
            #expect(messages.first?.mailFrom == DeliveryFixture.sender)
            #expect(try server.events().filter { $0.kind == .rcpt }.map(\.address) == ["pia@xn--yhdistysl-32a.example.fi"])
        }
    }

    /// Fault 6: the answer to the final dot is awaited far beyond `mail.smtp.timeout` (RFC 5321
    /// §4.5.3.2.6), so a slow relay that does accept gets the message once. The timeout is 2 s and
    /// the relay answers after 3.5 s; the issue's relay took 40 s against a 30 s timeout.
    @Test func aRelayThatAnswersTheFinalDotAfterTheCommandTimeoutGetsOneCopy() async throws {
        var options = SMTPTestServer.Options()
        options.delays = [.init(stage: .dataEnd, seconds: 3.5)]
        try await withSMTPTestServer(options) { server in
            let fixture = try DeliveryFixture(mail: DeliveryFixture.smtp(server, timeout: "2s"), members: 1)
            try fixture.announce()
            let engine = try fixture.engine()
            let round = await engine.deliverDue()
            #expect(round.sent == 1)
            #expect(round.deferred == 0)
            #expect(try fixture.outbox.counts().sent == 1)
            #expect(try server.messages().count == 1)
        }
    }

    /// Fault 8: attempts that never reached the relay use none of `mail.rate`, which counts
    /// messages handed to the relay; neither the running engine nor `outbox status` counts them.
    @Test func aRelayRefusingConnectionsUsesNoneOfTheRateCaps() async throws {
        try await withSMTPTestServer { server in
            let fixture = try DeliveryFixture(mail: DeliveryFixture.smtp(server), members: 2)
            try fixture.announce()
            await server.stop()
            var settings = DeliveryEngine.Settings(fixture.configuration.mail)
            settings.rate = .init(perMinute: 30, perDay: 1000)
            let engine = try DeliveryEngine(
                outbox: fixture.outbox, transport: try fixture.transport(), settings: settings, clock: SystemClock(),
                logger: DeliveryFixture.silent)
            let round = await engine.deliverDue()
            #expect(round.relayProblem?.contains("cannot connect") == true)
            #expect(try engine.rateSnapshot().lastMinute == 0)
            #expect(try engine.rateSnapshot().lastDay == 0)
            let report = try OutboxReport(outbox: fixture.outbox, rate: settings.rate, now: Date())
            #expect(report.rate.lastMinute == 0)
            #expect(report.rate.lastDay == 0)
            #expect(report.counts.deferred == 2)
        }
    }

    /// Fault 3: another process holds a write transaction longer than the busy timeout right after
    /// the relay accepted a message. Delivery goes on meanwhile: each result is in the results
    /// journal before the next message starts, and goes into the database once it allows. No
    /// result is lost, no row stays `sending`, and a restart sends nothing again.
    @Test func aDatabaseLockedLongerThanTheBusyTimeoutDuringASendLosesNoResult() async throws {
        try await withSMTPTestServer { server in
            let fixture = try DeliveryFixture(mail: DeliveryFixture.smtp(server), members: 3, busyTimeout: 0.2)
            try fixture.announce()
            let holder = DatabaseLockHolder(path: fixture.configuration.paths.database)
            let journal = fixture.outbox.journalPath
            let transport = HookedTransport(inner: try fixture.transport(), afterSend: { holder.lockOnce() })
            let engine = try DeliveryEngine(
                outbox: fixture.outbox, transport: transport, settings: .init(fixture.configuration.mail),
                clock: SystemClock(), logger: DeliveryFixture.silent)
            let delivering = Task { await engine.deliverDue() }
            // All three reach the relay while the lock is held, and all three results are in the journal.
            _ = try await server.waitForMessages(count: 3, timeout: .seconds(10))
            try await waitUntil("three results in \(journal)") { (try? ResultJournal.results(at: journal).count) == 3 }
            #expect(try fixture.outbox.counts().sent == 0, "the database could take nothing yet")
            holder.release()
            let round = await delivering.value
            #expect(round.sent == 3)
            #expect(round.relayProblem == nil)
            let counts = try fixture.outbox.counts()
            #expect(counts.sending == 0)
            #expect(counts.sent == 3)
            #expect(try ResultJournal.results(at: journal).isEmpty, "the journal is emptied once the database has it")
            // A restart: nothing to recover, nothing sent twice.
            #expect(try fixture.outbox.recoverInterrupted() == .init(recorded: 0, requeued: 0))
            #expect(await (try fixture.engine()).deliverDue().attempted == 0)
            #expect(try server.messages().count == 3)
        }
    }

    /// Polls `condition` every 20 ms for up to ten seconds.
    private func waitUntil(_ what: String, _ condition: () -> Bool) async throws {
        for _ in 0..<500 {
            if condition() { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("timed out waiting for \(what)")
    }
}

/// The per-recipient substitutions of a shared body, end to end: queued once, personalised at
/// send time inside the parts' transfer encodings (quoted-printable text, base64 calendar).
@Suite(.serialized) struct SubstitutionDeliveryTests {
    @Test func eachRecipientGetsTheirOwnLinkAndAttendeeLine() async throws {
        try await withSMTPTestServer { server in
            let fixture = try DeliveryFixture(mail: DeliveryFixture.smtp(server), members: 0)
            let body = try MIMEPart.mixed([
                .plain("Peru tilaus: {{unsubscribe}}\n"),
                .calendar("BEGIN:VCALENDAR\r\n{{attendee}}\r\nEND:VCALENDAR\r\n", method: "REQUEST", transferEncoding: .base64),
            ]).entity
            let people = [("pia.kangas@example.fi", "Pia Kangas"), ("asa.lindqvist@example.fi", "Lindqvist, Åsa")]
            let messages = try people.map { email, name in
                let values = [
                    "{{unsubscribe}}": "https://pohde.example.fi/tiedotin/unsubscribe?token=\(email.prefix(3))",
                    "{{attendee}}": "ATTENDEE;CN=\"\(name)\";RSVP=TRUE:mailto:\(email)",
                ]
                return OutboxMessage(
                    recipient: email, envelopeSender: DeliveryFixture.sender,
                    header: Array("From: \(DeliveryFixture.sender)\r\nTo: \(email)\r\nSubject: Kutsu\r\nMIME-Version: 1.0\r\n".utf8),
                    substitutions: String(decoding: try JSONSerialization.data(withJSONObject: values), as: UTF8.self))
            }
            try fixture.outbox.enqueue(OutboxSend(kind: "invitation", subject: "Kutsu", body: body, messages: messages), at: Date())
            #expect(try await fixture.engine().deliverDue().sent == 2)
            for captured in try server.messages() {
                let inspected = try MessageInspector.inspect(captured.data)
                #expect(inspected.defects.isEmpty)
                let email = captured.recipients[0]
                let name = try #require(people.first { $0.0 == email }?.1)
                #expect(inspected.parts.map(\.text) == [
                    "Peru tilaus: https://pohde.example.fi/tiedotin/unsubscribe?token=\(email.prefix(3))\r\n",
                    "BEGIN:VCALENDAR\r\nATTENDEE;CN=\"\(name)\";RSVP=TRUE:mailto:\(email)\r\nEND:VCALENDAR\r\n",
                ])
            }
        }
    }
}

/// Holds a write transaction on the database from a connection of its own until released.
final class DatabaseLockHolder: @unchecked Sendable {
    private let path: String
    private let started = Mutex(false)
    private let locked = DispatchSemaphore(value: 0)
    private let released = DispatchSemaphore(value: 0)

    init(path: String) {
        self.path = path
    }

    /// Takes the lock the first time it is called and returns once it holds it.
    func lockOnce() {
        guard started.withLock({ started in
            defer { started = true }
            return !started
        }) else { return }
        let path = path
        let thread = Thread { [self] in
            do {
                let store = try Store(path: path)
                try store.write { db in
                    // A write takes SQLite's write lock until the transaction ends.
                    try Outbox.setLastError(db, "held by a test", at: Date())
                    locked.signal()
                    released.wait()
                }
            } catch {
                locked.signal()
            }
        }
        thread.start()
        locked.wait()
    }

    func release() {
        released.signal()
    }
}

/// A transport that runs `afterSend` after each message the inner one handled.
struct HookedTransport: MailTransport {
    let inner: any MailTransport
    let afterSend: @Sendable () -> Void

    var destination: String { inner.destination }

    func makeConnection() -> any TransportConnection {
        HookedConnection(inner: inner.makeConnection(), afterSend: afterSend)
    }
}

final class HookedConnection: TransportConnection {
    let inner: any TransportConnection
    let afterSend: @Sendable () -> Void

    init(inner: any TransportConnection, afterSend: @escaping @Sendable () -> Void) {
        self.inner = inner
        self.afterSend = afterSend
    }

    func send(_ envelope: Envelope, message: MessageBytes) -> TransportOutcome {
        let outcome = inner.send(envelope, message: message)
        afterSend()
        return outcome
    }

    func close() {
        inner.close()
    }
}

/// Hands every log line to `record`.
struct RecordingLogHandler: LogHandler {
    let record: @Sendable (Logger.Level, String) -> Void
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        record(event.level, "\(event.message)")
    }
}
