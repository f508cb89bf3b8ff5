import Foundation
import Logging
import Testing
import TestSupport
@testable import TiedotinCore

/// Delivery through libcurl to a real SMTP server on 127.0.0.1 that misbehaves on cue.
@Suite(.serialized) struct SMTPDeliveryTests {
    /// Every captured message must parse without defects and carry the contract's headers.
    func expectWellFormed(_ messages: [CapturedMessage], sourceLocation: SourceLocation = #_sourceLocation) throws {
        for message in messages {
            let inspected = try MessageInspector.inspect(message.data)
            #expect(inspected.defects.isEmpty, "defects: \(inspected.defects)", sourceLocation: sourceLocation)
            for header in ["Message-ID", "Date", "From", "To", "Subject", "MIME-Version", "List-Unsubscribe", "List-Unsubscribe-Post"] {
                #expect(inspected.headers[header]?.count == 1, "missing or repeated \(header)", sourceLocation: sourceLocation)
            }
            #expect(inspected.headers["To"]?.first?.contains(message.recipients[0]) == true, sourceLocation: sourceLocation)
            #expect(inspected.maxLineOctets <= 998, sourceLocation: sourceLocation)
            #expect(!inspected.bareLF, sourceLocation: sourceLocation)
            #expect(inspected.structure == "multipart/alternative(text/plain,text/html)", sourceLocation: sourceLocation)
        }
    }

    @Test func plainSMTPDeliversOneWellFormedMessagePerRecipient() async throws {
        try await withSMTPTestServer { server in
            let fixture = try DeliveryFixture(mail: DeliveryFixture.smtp(server), members: 4)
            try fixture.announce(networks: ["jyry", "ikaihmiset"])
            let round = try await fixture.engine().deliverDue()
            #expect(round.sent == 4)
            let messages = try server.messages()
            #expect(messages.count == 4)
            #expect(Set(messages.flatMap(\.recipients)) == Set(DeliveryFixture.people.prefix(4).map(\.email)))
            #expect(messages.allSatisfy { $0.mailFrom == DeliveryFixture.sender })
            try expectWellFormed(messages)
            let first = try MessageInspector.inspect(messages[0].data)
            #expect(first.headers["Subject"] == ["JYRYn kokous 10.2.2027 – esityslista"])
            // One session for all four: EHLO once, no reconnects.
            #expect(try server.events().filter { $0.kind == .ehlo }.count == 1)
            #expect(try fixture.outbox.counts().sent == 4)
        }
    }

    @Test func startTLSRequiredWithAuthentication() async throws {
        let authority = try TestCertificateAuthority.shared()
        var options = SMTPTestServer.Options.starttls(authority, required: true)
        options.auth = .init(username: "tiedotin", password: DeliveryFixture.password)
        options.authRequired = true
        try await withSMTPTestServer(options) { server in
            let fixture = try DeliveryFixture(
                mail: DeliveryFixture.smtp(server, starttls: "required", ca: authority, auth: true), members: 2)
            try fixture.announce()
            let round = try await fixture.engine().deliverDue()
            #expect(round.sent == 2, "\(String(describing: round.relayProblem))")
            let messages = try server.messages()
            #expect(messages.count == 2)
            #expect(messages.allSatisfy { $0.tls && $0.user == "tiedotin" })
            try expectWellFormed(messages)
        }
    }

    @Test func startTLSRequiredButNotOfferedSendsNothingAndLosesNothing() async throws {
        try await withSMTPTestServer { server in
            let fixture = try DeliveryFixture(mail: DeliveryFixture.smtp(server, starttls: "required"), members: 3)
            try fixture.announce()
            let round = try await fixture.engine().deliverDue()
            #expect(round.sent == 0)
            #expect(try server.messages().isEmpty)
            let problem = try #require(round.relayProblem)
            #expect(problem.contains("does not offer STARTTLS"))
            #expect(problem.contains("mail.smtp.starttls"))
            let counts = try fixture.outbox.counts()
            #expect(counts.deferred == 3)
            #expect(counts.failed == 0)
            #expect(try fixture.outbox.lastError()?.message.contains("STARTTLS") == true)
            // No MAIL command ever reached the server.
            #expect(try server.events().filter { $0.kind == .mail }.isEmpty)
        }
    }

    @Test func temporaryFailureIsDeferredThenDelivered() async throws {
        var options = SMTPTestServer.Options()
        options.temporaryFailures = [.init(stage: .data, reply: "451 4.3.0 Temporary local problem", times: 1)]
        try await withSMTPTestServer(options) { server in
            let fixture = try DeliveryFixture(mail: DeliveryFixture.smtp(server), members: 2)
            try fixture.announce()
            let clock = ManualClock(Date())
            let engine = try fixture.engine(clock: clock)
            let started = clock.now
            let first = await engine.deliverDue()
            #expect(first.sent == 1)
            #expect(first.deferred == 1)
            let waiting = try fixture.outbox.deferred()
            #expect(waiting.count == 1)
            #expect(waiting[0].answer == "451 4.3.0 Temporary local problem")
            // Not due before retry.first (1 s) has passed.
            // The database keeps seconds as a REAL: equal to the millisecond.
            #expect(abs(waiting[0].nextAttempt.timeIntervalSince(started) - 1) < 0.001, "retried after retry.first")
            #expect(await engine.deliverDue().attempted == 0)
            clock.advance(by: 1)
            let second = await engine.deliverDue()
            #expect(second.sent == 1)
            #expect(try server.messages().count == 2)
            #expect(try fixture.outbox.counts().sent == 2)
        }
    }

    @Test func permanentFailureForOneRecipientLetsTheOthersArrive() async throws {
        var options = SMTPTestServer.Options()
        let unknown = DeliveryFixture.people[1].email
        options.rejectRecipients = [unknown: "550 5.1.1 <\(unknown)>: Recipient address rejected: User unknown"]
        try await withSMTPTestServer(options) { server in
            let fixture = try DeliveryFixture(mail: DeliveryFixture.smtp(server), members: 4)
            try fixture.announce()
            let round = try await fixture.engine().deliverDue()
            #expect(round.sent == 3)
            #expect(round.failed == 1)
            #expect(Set(try server.messages().flatMap(\.recipients)) == Set(DeliveryFixture.people.prefix(4).map(\.email)).subtracting([unknown]))
            let failed = try fixture.outbox.failures()
            #expect(failed.map(\.recipient) == [unknown])
            #expect(failed[0].answer == "550 5.1.1 <\(unknown)>: Recipient address rejected: User unknown")
            #expect(try fixture.member(unknown)?.undeliverable == failed[0].answer)
            #expect(try fixture.member(DeliveryFixture.people[0].email)?.undeliverable == nil)
        }
    }

    @Test func serviceClosingMidSessionDefersAndTheRestFollowOnANewConnection() async throws {
        var options = SMTPTestServer.Options()
        options.closeAfter = .init(messages: 2, reply: "421 4.3.2 Service shutting down", connections: 1)
        try await withSMTPTestServer(options) { server in
            let fixture = try DeliveryFixture(mail: DeliveryFixture.smtp(server), members: 5)
            try fixture.announce()
            let clock = ManualClock(Date())
            let engine = try fixture.engine(clock: clock)
            let started = clock.now
            let first = await engine.deliverDue()
            #expect(first.deferred == 1)
            #expect(try fixture.outbox.lastError()?.message.contains("421 4.3.2 Service shutting down") == true)
            // The connection rested for retry.first before reconnecting.
            #expect(clock.now.timeIntervalSince(started) >= 1)
            clock.advance(by: 1)
            _ = await engine.deliverDue()
            #expect(try fixture.outbox.counts().sent == 5)
            let messages = try server.messages()
            #expect(Set(messages.flatMap(\.recipients)).count == 5)
            #expect(messages.count == 5, "nobody gets two copies")
            #expect(Set(messages.map(\.connection)).count >= 2)
        }
    }

    @Test func connectionDroppedDuringDataIsRetried() async throws {
        var options = SMTPTestServer.Options()
        options.dropDuringData = .init(times: 1, afterBytes: 100)
        try await withSMTPTestServer(options) { server in
            let fixture = try DeliveryFixture(mail: DeliveryFixture.smtp(server), members: 3)
            try fixture.announce()
            let clock = ManualClock(Date())
            let engine = try fixture.engine(clock: clock)
            let first = await engine.deliverDue()
            #expect(first.deferred == 1)
            #expect(first.sent == 2)
            clock.advance(by: 1)
            _ = await engine.deliverDue()
            #expect(try fixture.outbox.counts().sent == 3)
            let messages = try server.messages()
            #expect(messages.count == 3)
            try expectWellFormed(messages)
        }
    }

    @Test func serverDownThenUp() async throws {
        try await withSMTPTestServer { server in
            let fixture = try DeliveryFixture(mail: DeliveryFixture.smtp(server), members: 3)
            try fixture.announce()
            await server.stop()
            let clock = ManualClock(Date())
            // What the engine said goes with a failure: once in a full suite on a loaded machine the
            // round after the restart sent two of the three, and nothing else told why.
            let log = CapturedLog()
            let engine = try fixture.engine(clock: clock, logger: log.logger(level: .info))
            let down = await engine.deliverDue()
            #expect(down.sent == 0)
            #expect(down.relayProblem?.contains("cannot connect to the relay") == true)
            #expect(try fixture.outbox.counts().deferred == 3)
            #expect(try fixture.outbox.counts().failed == 0)
            try await server.restart()
            clock.advance(by: 1)
            let up = await engine.deliverDue()
            #expect(up.sent == 3, "\(up)\n\(log.text)")
            #expect(try server.messages().count == 3)
        }
    }

    @Test func relayThrottlingSlowsTheSenderAndEveryMessageArrives() async throws {
        var options = SMTPTestServer.Options()
        options.throttle = .init(reply: "432 4.3.2 Concurrent connections limit exceeded", times: 1)
        try await withSMTPTestServer(options) { server in
            let fixture = try DeliveryFixture(mail: DeliveryFixture.smtp(server), members: 3)
            try fixture.announce()
            let clock = ManualClock(Date())
            let engine = try fixture.engine(clock: clock)
            let first = await engine.deliverDue()
            #expect(first.deferred == 1)
            #expect(try engine.rateSnapshot().slowedTo != nil)
            clock.advance(by: 1)
            _ = await engine.deliverDue()
            #expect(try fixture.outbox.counts().sent == 3)
        }
    }

    @Test func ratesHoldAcrossConnectionsWithAnInjectedClock() async throws {
        try await withSMTPTestServer { server in
            let fixture = try DeliveryFixture(
                mail: DeliveryFixture.smtp(server),
                connections: 3, members: 12)
            try fixture.announce()
            // Messages were queued at the real time; the test's time starts there and then runs on its own.
            let clock = ManualClock(Date())
            var settings = DeliveryEngine.Settings(fixture.configuration.mail)
            settings.rate = .init(perMinute: 4, perDay: 10)
            let engine = try DeliveryEngine(
                outbox: fixture.outbox, transport: TransportFactory.make(for: fixture.configuration.mail, password: nil),
                settings: settings, clock: clock, logger: .init(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
            let start = clock.now
            let round = await engine.deliverDue()
            // The day's cap stops the round at ten; the minute's cap spreads them out.
            #expect(round.sent == 10)
            #expect(round.dailyCapUntil != nil)
            #expect(try server.messages().count == 10)
            let handoffs = try fixture.outbox.handoffs(since: start)
            for (index, time) in handoffs.enumerated() {
                #expect(handoffs[index...].prefix { $0.timeIntervalSince(time) < 60 }.count <= 4)
            }
            #expect(clock.now.timeIntervalSince(start) >= 120)
            #expect(try fixture.outbox.counts().queued == 2)
        }
    }

    @Test func manyFaultsOnFourConnectionsLoseNothingAndDuplicateNothing() async throws {
        var options = SMTPTestServer.Options()
        options.temporaryFailures = [.init(stage: .dataEnd, reply: "451 4.3.0 Try again", times: 6)]
        options.dropDuringData = .init(times: 4, afterBytes: 200)
        options.closeAfter = .init(messages: 9)
        try await withSMTPTestServer(options) { server in
            let fixture = try DeliveryFixture(mail: DeliveryFixture.smtp(server), connections: 4, members: 80)
            try fixture.announce()
            let clock = ManualClock(Date())
            let engine = try fixture.engine(clock: clock)
            for _ in 0..<15 {
                _ = await engine.deliverDue()
                if try fixture.outbox.counts().pending == 0 { break }
                // Every deferred message is due again after mail.retry.max_interval (4 s).
                clock.advance(by: 4)
            }
            let counts = try fixture.outbox.counts()
            #expect(counts.sent == 80, "\(counts)")
            let recipients = try server.messages().flatMap(\.recipients)
            #expect(recipients.count == 80, "no faulted transaction was accepted, so nobody has two copies")
            #expect(Set(recipients).count == 80)
            #expect(try server.peakConcurrentConnections() <= 4)
        }
    }

    @Test func severalConnectionsShareTheQueue() async throws {
        try await withSMTPTestServer { server in
            let fixture = try DeliveryFixture(mail: DeliveryFixture.smtp(server), connections: 3, members: 30)
            try fixture.announce()
            let round = try await fixture.engine().deliverDue()
            #expect(round.sent == 30)
            let messages = try server.messages()
            #expect(Set(messages.flatMap(\.recipients)).count == 30)
            #expect(messages.count == 30)
            #expect(try server.peakConcurrentConnections() <= 3)
            #expect(Set(messages.map(\.connection)).count > 1)
        }
    }
}

/// The TLS variants the config offers besides STARTTLS required.
@Suite(.serialized) struct SMTPTLSVariantTests {
    @Test func implicitTLSOnSMTPS() async throws {
        let authority = try TestCertificateAuthority.shared()
        try await withSMTPTestServer(.implicitTLS(authority)) { server in
            #expect(server.url.scheme == "smtps")
            let fixture = try DeliveryFixture(mail: DeliveryFixture.smtp(server, starttls: "required", ca: authority), members: 2)
            try fixture.announce()
            let round = try await fixture.engine().deliverDue()
            #expect(round.sent == 2, "\(String(describing: round.relayProblem))")
            #expect(try server.messages().allSatisfy(\.tls))
        }
    }

    @Test func opportunisticStartTLSUsesTLSWhenOfferedAndPlainWhenNot() async throws {
        let authority = try TestCertificateAuthority.shared()
        try await withSMTPTestServer(.starttls(authority)) { server in
            let fixture = try DeliveryFixture(mail: DeliveryFixture.smtp(server, starttls: "opportunistic", ca: authority), members: 1)
            try fixture.announce()
            #expect(try await fixture.engine().deliverDue().sent == 1)
            #expect(try server.messages().allSatisfy(\.tls))
        }
        try await withSMTPTestServer { server in
            let fixture = try DeliveryFixture(mail: DeliveryFixture.smtp(server, starttls: "opportunistic"), members: 1)
            try fixture.announce()
            #expect(try await fixture.engine().deliverDue().sent == 1)
            #expect(try server.messages().allSatisfy { !$0.tls })
        }
    }

    @Test func anUntrustedCertificateIsARelayProblemThatNamesTheCAFile() async throws {
        let authority = try TestCertificateAuthority.shared()
        try await withSMTPTestServer(.starttls(authority, required: true)) { server in
            // No ca_file: the system's CAs do not know the test CA.
            let fixture = try DeliveryFixture(mail: DeliveryFixture.smtp(server, starttls: "required"), members: 1)
            try fixture.announce()
            let round = try await fixture.engine().deliverDue()
            #expect(round.sent == 0)
            #expect(round.relayProblem?.contains("mail.smtp.ca_file") == true)
            #expect(try fixture.outbox.counts().deferred == 1)
        }
    }

    @Test func aWrongPasswordIsARelayProblemAndNothingFails() async throws {
        let authority = try TestCertificateAuthority.shared()
        var options = SMTPTestServer.Options.starttls(authority, required: true)
        options.auth = .init(username: "tiedotin", password: "toinen-salasana")
        options.authRequired = true
        try await withSMTPTestServer(options) { server in
            let fixture = try DeliveryFixture(
                mail: DeliveryFixture.smtp(server, starttls: "required", ca: authority, auth: true), members: 2)
            try fixture.announce()
            let round = try await fixture.engine().deliverDue()
            #expect(round.sent == 0)
            #expect(round.relayProblem?.contains("refused the login") == true)
            #expect(round.relayProblem?.contains(DeliveryFixture.password) == false)
            #expect(try fixture.outbox.counts().failed == 0)
        }
    }

    /// A bad XOAUTH2 token gets Gmail's answer, a 334 error challenge: libcurl reports a refused
    /// login with reply code 334, and the transport says "login refused" whatever the code.
    @Test func aBadBearerTokenIsALoginRefusedAndNothingFails() async throws {
        let authority = try TestCertificateAuthority.shared()
        var options = SMTPTestServer.Options.starttls(authority, required: true)
        options.auth = .init(username: "tiedotin@pohde.example.fi", bearerToken: "oikea-token")
        options.authRequired = true
        try await withSMTPTestServer(options) { server in
            let fixture = try DeliveryFixture(mail: DeliveryFixture.smtp(server, starttls: "required", ca: authority), members: 2)
            try fixture.announce()
            let transport = SMTPTransport(settings: .init(
                url: server.url, startTLS: .required, username: "tiedotin@pohde.example.fi", password: nil,
                bearerToken: "vanhentunut-token", caFile: authority.caFile, timeout: .seconds(5), heloName: "pohde.example.fi"))
            let outcome = transport.makeConnection().send(
                Envelope(sender: DeliveryFixture.sender, recipient: DeliveryFixture.people[0].email),
                message: MessageBytes(header: Array("Subject: Testi\r\n".utf8), body: Array("\r\nHei!\r\n".utf8)))
            #expect(outcome.failure == .loginRefused, "\(outcome)")
            let engine = try DeliveryEngine(
                outbox: fixture.outbox, transport: transport, settings: .init(fixture.configuration.mail), clock: SystemClock(),
                logger: DeliveryFixture.silent)
            let round = await engine.deliverDue()
            #expect(round.relayProblem?.contains("refused the login") == true, "\(String(describing: round.relayProblem))")
            #expect(try fixture.outbox.counts().deferred == 2)
            #expect(try server.messages().isEmpty)
        }
    }

    @Test(arguments: [false, true])
    func aConnectionTheServerClosedWhileIdleIsReplacedAndTheMessageGoes(tls: Bool) async throws {
        let authority = try TestCertificateAuthority.shared()
        var options = tls ? SMTPTestServer.Options.starttls(authority, required: true) : SMTPTestServer.Options()
        options.idleTimeout = 0.3
        try await withSMTPTestServer(options) { server in
            let transport = SMTPTransport(settings: .init(
                url: server.url, startTLS: tls ? .required : .off, username: nil, password: nil,
                caFile: authority.caFile, timeout: .seconds(5), heloName: "pohde.example.fi"))
            let connection = transport.makeConnection()
            defer { connection.close() }
            let message = MessageBytes(
                header: Array("From: jarjestotyo@pohde.example.fi\r\nTo: pia.kangas@example.fi\r\nSubject: Testi\r\n".utf8),
                body: Array("\r\nHei!\r\n".utf8))
            let envelope = Envelope(sender: "jarjestotyo@pohde.example.fi", recipient: "pia.kangas@example.fi")
            #expect(connection.send(envelope, message: message).failure == nil)
            // The server hangs up the idle session: over TLS with a close_notify, after which it waits
            // for the client's own close_notify before the TCP connection ends.
            _ = try await server.waitForEvents { events in events.contains { $0.kind == .idleTimeout } }
            let second = connection.send(envelope, message: message)
            #expect(second.failure == nil, "\(second)")
            #expect(try server.messages().count == 2)
            #expect(try server.events().filter { $0.kind == .connect }.count == 2)
        }
    }
}

