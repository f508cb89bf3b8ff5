import Foundation
import Testing
import TestSupport
@testable import TiedotinCore

/// `announce`, `serve`, `outbox` and `status` run as the admin runs them: the built binary, a
/// real database and a real SMTP server on 127.0.0.1.
@Suite(.serialized) struct DeliveryCommandTests {
    let markdownBody = """
        Hyvät yhdyshenkilöt,

        <script>alert("x")</script> **Aamukahvit** pidetään 13.1.2027 klo 9 [Teamsissa](https://teams.example.fi/l/aamukahvit).
        """

    func writeBody(_ fixture: DeliveryFixture) throws -> String {
        try fixture.folder.write(markdownBody, to: "tiedote.md")
    }

    func run(_ fixture: DeliveryFixture, _ arguments: [String]) throws -> TiedotinBinary.Run {
        try TiedotinBinary.run(arguments + ["--config", fixture.configuration.file])
    }

    func json(_ text: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(text.utf8))
    }

    @Test func announceWaitDeliversOneCopyPerPersonAndExitsZero() async throws {
        try await withSMTPTestServer { server in
            let fixture = try DeliveryFixture(mail: DeliveryFixture.smtp(server), members: 5)
            let run = try run(fixture, [
                "announce", "--network", "jyry", "--network", "ikaihmiset",
                "--subject", "Aamukahvit tammikuussa", "--body", try writeBody(fixture), "--wait",
            ])
            #expect(run.status == 0, "\(run.errors)")
            #expect(run.output.contains("queued 5 messages"))
            #expect(run.output.contains("5 sent, 0 waiting for a retry, 0 failed."))
            let messages = try server.messages()
            #expect(messages.count == 5, "members on both networks get one copy")
            let inspected = try MessageInspector.inspect(messages[0].data)
            #expect(inspected.defects.isEmpty)
            let html = try #require(inspected.parts.first { $0.contentType == "text/html" }?.text)
            #expect(!html.contains("<script>"))
            #expect(html.contains("&lt;script&gt;"))
            #expect(html.contains("<a href=\"https://teams.example.fi/l/aamukahvit\">Teamsissa</a>"))
            let text = try #require(inspected.parts.first { $0.contentType == "text/plain" }?.text)
            #expect(text.contains("Teamsissa <https://teams.example.fi/l/aamukahvit>"))
        }
    }

    /// Fault 4 of issue 7: members stored before the import checked names and addresses (a control
    /// character in the name, non-ASCII before the @) do not block a send: they are left out, named
    /// in `announce`'s output and in `status`, and everyone else is queued and gets the notice.
    @Test func membersWithEntriesNoMailCanCarryAreLeftOutAndNamedWhileTheRestAreQueued() async throws {
        try await withSMTPTestServer { server in
            let fixture = try DeliveryFixture(mail: DeliveryFixture.smtp(server), members: 2)
            // Rows as an older version wrote them, past today's checks.
            try fixture.store.write { db in
                for (email, name) in [("eero.kylmanen@example.fi", "Eero\u{01}Kylmänen"), ("Åsa.Lindqvist@example.fi", "Åsa Lindqvist"),
                                      ("mikko.aalto@example.fi", "Mikko\u{90}Aalto")] {
                    var member = Member(email: email, name: name, organisation: nil, at: Date())
                    try member.insert(db)
                    try Membership(memberId: member.id!, networkId: "ikaihmiset").insert(db)
                }
            }
            // Someone who unsubscribed gets nothing anyway: announce does not name their entry, status does.
            #expect(try run(fixture, ["members", "unsubscribe", "mikko.aalto@example.fi"]).status == 0)
            let run = try run(fixture, ["announce", "--network", "ikaihmiset", "--subject", "Tiedote", "--body", try writeBody(fixture), "--wait"])
            #expect(run.status == 0, "\(run.errors)")
            #expect(run.output.contains("queued 2 messages"))
            #expect(run.errors.contains("left out eero.kylmanen@example.fi: the name \"Eero\\u{1}Kylmänen\""))
            #expect(run.errors.contains("left out Åsa.Lindqvist@example.fi: the address cannot be mailed"))
            #expect(!run.errors.contains("mikko.aalto"))
            #expect(Set(try server.messages().flatMap(\.recipients)) == Set(DeliveryFixture.people[0...1].map(\.email)))

            let status = try self.run(fixture, ["status"])
            #expect(status.output.contains("eero.kylmanen@example.fi: the name"), "\(status.output)")
            #expect(status.output.contains("Åsa.Lindqvist@example.fi: the address cannot be mailed"))
            let document = try #require(try json(try self.run(fixture, ["status", "--json"]).output) as? [String: Any])
            let unmailable = try #require(document["unmailable"] as? [[String: String]])
            #expect(unmailable.map { $0["email"] } == ["eero.kylmanen@example.fi", "mikko.aalto@example.fi", "Åsa.Lindqvist@example.fi"])
        }
    }

    @Test func unsubscribedMembersGetNoNotice() async throws {
        try await withSMTPTestServer { server in
            let fixture = try DeliveryFixture(mail: DeliveryFixture.smtp(server), members: 3)
            let gone = DeliveryFixture.people[0].email
            #expect(try run(fixture, ["members", "unsubscribe", gone]).status == 0)
            let run = try run(fixture, ["announce", "--network", "ikaihmiset", "--subject", "Tiedote", "--body", try writeBody(fixture), "--wait"])
            #expect(run.status == 0, "\(run.errors)")
            #expect(Set(try server.messages().flatMap(\.recipients)) == Set(DeliveryFixture.people[1...2].map(\.email)))
        }
    }

    /// An admin's shell may name a proxy for everything (`all_proxy`); the mail still goes straight
    /// to the relay the config names, not to a proxy nobody configured for it.
    @Test func aProxyInTheEnvironmentDoesNotTakeTheMail() async throws {
        try await withSMTPTestServer { server in
            let fixture = try DeliveryFixture(mail: DeliveryFixture.smtp(server), members: 2)
            // Port 9 (discard) has no listener here: mail sent through this proxy would fail to connect.
            let proxy = "socks5h://127.0.0.1:9"
            let run = try TiedotinBinary.run(
                ["announce", "--network", "ikaihmiset", "--subject", "Tiedote", "--body", try writeBody(fixture), "--wait",
                 "--config", fixture.configuration.file],
                environment: ["all_proxy": proxy, "ALL_PROXY": proxy, "smtp_proxy": proxy, "SMTP_PROXY": proxy])
            #expect(run.status == 0, "\(run.output)\(run.errors)")
            #expect(Set(try server.messages().flatMap(\.recipients)) == Set(DeliveryFixture.people[0...1].map(\.email)))
        }
    }

    @Test func aRejectedRecipientMakesWaitExitThreeAndShowsInStatusAndMembers() async throws {
        var options = SMTPTestServer.Options()
        let unknown = DeliveryFixture.people[2].email
        options.rejectRecipients = [unknown: "550 5.1.1 <\(unknown)>: Recipient address rejected: User unknown"]
        try await withSMTPTestServer(options) { server in
            let fixture = try DeliveryFixture(mail: DeliveryFixture.smtp(server), members: 3)
            let announce = try run(fixture, ["announce", "--network", "ikaihmiset", "--subject", "Tiedote", "--body", try writeBody(fixture), "--wait"])
            #expect(announce.status == 3)
            #expect(announce.output.contains("2 sent, 0 waiting for a retry, 1 failed."))

            let status = try run(fixture, ["outbox", "status", "--json"])
            #expect(status.status == 0)
            let document = try #require(try json(status.output) as? [String: Any])
            let counts = try #require(document["counts"] as? [String: Int])
            #expect(counts == ["queued": 0, "deferred": 0, "sending": 0, "sent": 2, "failed": 1])
            let failed = try #require(document["failed"] as? [[String: Any]])
            #expect(failed.count == 1)
            #expect(failed[0]["recipient"] as? String == unknown)
            #expect(failed[0]["subject"] as? String == "Tiedote")
            #expect(failed[0]["answer"] as? String == "550 5.1.1 <\(unknown)>: Recipient address rejected: User unknown")
            #expect((failed[0]["at"] as? String)?.contains("+02:00") == true)

            let members = try #require(try json(try run(fixture, ["members", "list", "--format", "json"]).output) as? [[String: Any]])
            let marked = members.first { $0["email"] as? String == unknown }
            #expect((marked?["undeliverable"] as? String)?.hasPrefix("550 5.1.1") == true)

            let overall = try #require(try json(try run(fixture, ["status", "--json"]).output) as? [String: Any])
            #expect((overall["queue"] as? [String: Int])?["failed"] == 1)
            #expect((overall["last_error"] as? String)?.contains("550 5.1.1") == true)
            // The default schedule: the first Tuesday of the month at 09:00 in Helsinki.
            let nextEdition = try #require(overall["next_edition"] as? String)
            let date = try #require(ISO8601DateFormatter().date(from: nextEdition))
            var helsinki = Calendar(identifier: .gregorian)
            helsinki.timeZone = TimeZone(identifier: "Europe/Helsinki")!
            let parts = helsinki.dateComponents([.weekday, .day, .hour, .minute], from: date)
            #expect(parts.weekday == 3 && parts.day! <= 7 && parts.hour == 9 && parts.minute == 0, "\(nextEdition)")
            #expect(date > Date() && date < Date().addingTimeInterval(36 * 86_400))
            #expect(nextEdition.hasSuffix("+02:00") || nextEdition.hasSuffix("+03:00"))
            #expect(overall["incoming"] as? Int == 0)
        }
    }

    @Test func aSubjectWithALineBreakIsRefusedAndNothingIsQueued() throws {
        let fixture = try DeliveryFixture(mail: "  transport: maildir\n  maildir: maildir")
        let run = try run(fixture, [
            "announce", "--network", "jyry", "--subject", "Tiedote\r\nBcc: everyone@example.com", "--body", try writeBody(fixture),
        ])
        #expect(run.status == 1)
        #expect(run.errors.contains("nothing was queued"))
        #expect(try fixture.outbox.counts().total == 0)
    }

    @Test func anUnknownNetworkIsRefusedWithTheKnownOnes() throws {
        let fixture = try DeliveryFixture(mail: "  transport: maildir\n  maildir: maildir")
        let run = try run(fixture, ["announce", "--network", "ikaihmist", "--subject", "Tiedote", "--body", try writeBody(fixture)])
        #expect(run.status == 1)
        #expect(run.errors.contains("there is no network \"ikaihmist\" in the config; known networks: jyry, ikaihmiset"))
    }

    @Test func killMinusNineMidSendThenRestartDeliversEveryRecipient() async throws {
        var options = SMTPTestServer.Options()
        options.delays = [.init(stage: .dataEnd, seconds: 0.03)]
        try await withSMTPTestServer(options) { server in
            // 200 members at 30 ms each over two connections: three seconds of sending, so that the
            // kill after the tenth lands mid-send even on a slow, busy machine.
            let fixture = try DeliveryFixture(mail: DeliveryFixture.smtp(server), connections: 2, members: 200)
            let queued = try run(fixture, ["announce", "--network", "ikaihmiset", "--subject", "Tiedote", "--body", try writeBody(fixture)])
            #expect(queued.status == 0)
            let service = try TiedotinBinary.start(["serve", "--config", fixture.configuration.file])
            _ = try await server.waitForMessages(count: 10, timeout: .seconds(20))
            service.send(SIGKILL)
            _ = await service.result()
            let before = try server.messages().count
            #expect(before < 200, "the kill came mid-send")

            let again = try run(fixture, ["serve", "--once"])
            #expect(again.status == 0, "\(again.errors)")
            let messages = try server.messages()
            let recipients = messages.flatMap(\.recipients)
            #expect(Set(recipients).count == 200, "every recipient got the message")
            #expect(recipients.count - 200 <= 2, "at most one duplicate per connection, got \(recipients.count - 200)")
            #expect(try fixture.outbox.counts().sent == 200)
        }
    }

    /// Another process locks the database while the service sends, and the service is killed: the
    /// relay got messages whose results only the journal held. The next start writes those results
    /// and sends only what was in flight at the kill again.
    @Test func killMinusNineWhileTheDatabaseIsLockedSendsNothingTwice() async throws {
        var options = SMTPTestServer.Options()
        options.delays = [.init(stage: .dataEnd, seconds: 0.02)]
        try await withSMTPTestServer(options) { server in
            // 100 members at 20 ms each: two seconds of sending, so that the kill lands mid-send even
            // when the test's polling gets little of a busy machine (with 40, once it did not).
            let fixture = try DeliveryFixture(mail: DeliveryFixture.smtp(server), members: 100)
            let queued = try run(fixture, ["announce", "--network", "ikaihmiset", "--subject", "Tiedote", "--body", try writeBody(fixture)])
            #expect(queued.status == 0)
            let service = try TiedotinBinary.start(["serve", "--config", fixture.configuration.file])
            _ = try await server.waitForMessages(count: 2, timeout: .seconds(20))
            let holder = DatabaseLockHolder(path: fixture.configuration.paths.database)
            holder.lockOnce()
            defer { holder.release() }
            // The service goes on with the rows it has claimed; their results can only go to the journal.
            let journal = fixture.outbox.journalPath
            var journaled = 0
            for _ in 0..<1000 where journaled < 5 {
                journaled = (try? ResultJournal.results(at: journal).count) ?? 0
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(journaled >= 5, "results wait in the journal while the database is locked")
            service.send(SIGKILL)
            _ = await service.result()
            holder.release()
            #expect(try server.messages().count < 100, "the kill came mid-send")

            let again = try run(fixture, ["serve", "--once"])
            #expect(again.status == 0, "\(again.errors)")
            #expect(again.errors.contains("results kept in the journal at the last stop are written"))
            let recipients = try server.messages().flatMap(\.recipients)
            #expect(Set(recipients).count == 100, "every recipient got the message")
            #expect(recipients.count - 100 <= 1, "only the message in flight at the kill may go twice, got \(recipients.count - 100)")
            #expect(try fixture.outbox.counts().sent == 100)
        }
    }

    @Test func sigtermLetsTheTransactionInFlightFinishAndExitsZero() async throws {
        var options = SMTPTestServer.Options()
        options.delays = [.init(stage: .dataEnd, seconds: 1.5)]
        try await withSMTPTestServer(options) { server in
            let fixture = try DeliveryFixture(mail: DeliveryFixture.smtp(server), members: 3)
            _ = try run(fixture, ["announce", "--network", "ikaihmiset", "--subject", "Tiedote", "--body", try writeBody(fixture)])
            let service = try TiedotinBinary.start(["serve", "--config", fixture.configuration.file])
            // Wait until the first message's data is in and the server is holding its answer back.
            _ = try await server.waitForEvents(timeout: .seconds(20)) { events in events.contains { $0.kind == .delay } }
            service.terminate()
            let stopped = await service.result()
            #expect(stopped.status == 0, "\(stopped.errors)")
            #expect(stopped.exitedNormally)
            let counts = try fixture.outbox.counts()
            #expect(counts.sending == 0, "nothing is left half-sent")
            #expect(counts.sent == 1, "the transaction in flight finished and was recorded")
            #expect(counts.queued == 2)
            #expect(try server.messages().count == 1)
        }
    }

    @Test func aSecondServeExitsOneNamingTheFirst() async throws {
        let fixture = try DeliveryFixture(mail: "  transport: maildir\n  maildir: maildir")
        let first = try TiedotinBinary.start(["serve", "--config", fixture.configuration.file])
        defer {
            first.terminate()
            _ = first.wait()
        }
        let lockFile = fixture.configuration.paths.lockFile
        for _ in 0..<100 where DeliveryLock.holder(of: lockFile) == nil {
            try await Task.sleep(for: .milliseconds(50))
        }
        let second = try TiedotinBinary.run(["serve", "--config", fixture.configuration.file])
        #expect(second.status == 1)
        #expect(second.errors.contains("process \(first.processIdentifier) holds \(lockFile)"))
    }

    @Test func waitLeavesTheSendingToARunningServiceAndWaitsForIt() async throws {
        try await withSMTPTestServer { server in
            let fixture = try DeliveryFixture(mail: DeliveryFixture.smtp(server), members: 4)
            let service = try TiedotinBinary.start(["serve", "--config", fixture.configuration.file])
            defer {
                service.terminate()
                _ = service.wait()
            }
            for _ in 0..<100 where DeliveryLock.holder(of: fixture.configuration.paths.lockFile) == nil {
                try await Task.sleep(for: .milliseconds(50))
            }
            let run = try run(fixture, ["announce", "--network", "ikaihmiset", "--subject", "Tiedote", "--body", try writeBody(fixture), "--wait"])
            #expect(run.status == 0, "\(run.errors)")
            #expect(run.errors.contains("another process delivers; waiting for it"))
            #expect(run.errors.contains("pid=\(service.processIdentifier)"))
            #expect(try server.messages().count == 4)
        }
    }

    @Test func checkConfigOnlineLogsInWithSTARTTLSAndSendsNothing() async throws {
        let authority = try TestCertificateAuthority.shared()
        var options = SMTPTestServer.Options.starttls(authority, required: true)
        options.auth = .init(username: "tiedotin", password: DeliveryFixture.password)
        options.authRequired = true
        try await withSMTPTestServer(options) { server in
            let fixture = try DeliveryFixture(mail: DeliveryFixture.smtp(server, starttls: "required", ca: authority, auth: true))
            let run = try run(fixture, ["check-config", "--online"])
            #expect(run.status == 0, "\(run.errors)")
            #expect(run.output.contains("online: logged in to \(server.url.absoluteString)"))
            #expect(!(run.output + run.errors).contains(DeliveryFixture.password))
            let events = try await server.waitForEvents { events in events.contains { $0.kind == .disconnect } }
            #expect(events.contains { $0.kind == .auth && $0.replyCode == 235 && $0.tls })
            #expect(!events.contains { $0.kind == .mail })
            #expect(try server.messages().isEmpty)
        }
    }

    @Test func retryFailedWaitSendsAgainOnceTheCauseIsFixed() async throws {
        var options = SMTPTestServer.Options()
        let refused = DeliveryFixture.people[0].email
        options.rejectRecipients = [refused: "550 5.7.1 <\(refused)>: Relay access denied"]
        try await withSMTPTestServer(options) { server in
            let fixture = try DeliveryFixture(mail: DeliveryFixture.smtp(server), members: 2)
            let first = try run(fixture, ["announce", "--network", "ikaihmiset", "--subject", "Tiedote", "--body", try writeBody(fixture), "--wait"])
            #expect(first.status == 3)
            #expect(try fixture.outbox.counts().failed == 1)

            // Plain `retry` leaves failed messages alone.
            let deferredOnly = try run(fixture, ["outbox", "retry", "--wait"])
            #expect(deferredOnly.status == 3, "the failed message is still failed")
            #expect(try fixture.outbox.counts().failed == 1)

            // The admin fixes the relay's rule, then retries the failed ones too.
            try await server.restart(SMTPTestServer.Options())
            let again = try run(fixture, ["outbox", "retry", "--failed", "--wait"])
            #expect(again.status == 0, "\(again.output)\(again.errors)")
            #expect(try fixture.outbox.counts() == { var counts = OutboxCounts(); counts.sent = 2; return counts }())
            #expect(try server.messages().flatMap(\.recipients).filter { $0 == refused }.count == 1)
        }
    }

    @Test func retryFailedSendsNothingToAnAddressThatUnsubscribedOrBouncedSince() async throws {
        let people = DeliveryFixture.people.prefix(3).map(\.email)
        var options = SMTPTestServer.Options()
        for email in people { options.rejectRecipients[email] = "550 5.7.1 <\(email)>: Relay access denied" }
        try await withSMTPTestServer(options) { server in
            let fixture = try DeliveryFixture(mail: DeliveryFixture.smtp(server), members: 3)
            let first = try run(fixture, ["announce", "--network", "ikaihmiset", "--subject", "Tiedote", "--body", try writeBody(fixture), "--wait"])
            #expect(first.status == 3)
            #expect(try fixture.outbox.counts().failed == 3)

            // While the admin works on the relay, Pia unsubscribes (in mixed case) and a bounce
            // marks Åsa's address.
            #expect(try run(fixture, ["members", "unsubscribe", "Pia.Kangas@EXAMPLE.fi"]).status == 0)
            try fixture.store.markUndeliverable(emailKey: people[2], answer: "550 5.1.1 user unknown", at: Date())

            try await server.restart(SMTPTestServer.Options())
            let again = try run(fixture, ["outbox", "retry", "--failed", "--wait"])
            #expect(again.status == 3, "two stay failed: \(again.output)\(again.errors)")
            #expect(again.output.contains("1 messages are due now."), "\(again.output)")
            #expect(again.output.contains("2 failed message(s) stay failed"), "\(again.output)")
            #expect(try server.messages().flatMap(\.recipients) == [people[1]])
            var expected = OutboxCounts()
            expected.sent = 1
            expected.failed = 2
            #expect(try fixture.outbox.counts() == expected)
        }
    }

    @Test func anUnsubscribeTakesBackTheMessagesStillWaitingForThePerson() async throws {
        try await withSMTPTestServer { server in
            let fixture = try DeliveryFixture(mail: DeliveryFixture.smtp(server), members: 3)
            // Queued and not yet sent: no service runs, as when rate caps spread a send over days.
            let queued = try run(fixture, ["announce", "--network", "ikaihmiset", "--subject", "Tiedote", "--body", try writeBody(fixture)])
            #expect(queued.status == 0, "\(queued.errors)")
            #expect(try fixture.outbox.counts().queued == 3)

            let unsubscribe = try run(fixture, ["members", "unsubscribe", "PIA.KANGAS@example.fi"])
            #expect(unsubscribe.status == 0, "\(unsubscribe.errors)")
            #expect(unsubscribe.output.contains("1 message(s) to them still waiting in the outbox will not go."), "\(unsubscribe.output)")

            let deliver = try run(fixture, ["outbox", "retry", "--wait"])
            #expect(deliver.status == 3, "one failed: \(deliver.output)\(deliver.errors)")
            let recipients = try server.messages().flatMap(\.recipients)
            #expect(Set(recipients) == Set(DeliveryFixture.people[1...2].map(\.email)), "\(recipients)")
            let status = try run(fixture, ["outbox", "status"])
            #expect(status.output.contains("not sent: unsubscribed (admin) before it went"), "\(status.output)")
            // Nor does a retry of failed messages send it.
            #expect(try run(fixture, ["outbox", "retry", "--failed", "--wait"]).output.contains("1 failed message(s) stay failed"))
            #expect(try server.messages().count == 2)
        }
    }

    @Test func lookingAtTheQueueNeedsNoPassword() async throws {
        try await withSMTPTestServer { server in
            let fixture = try DeliveryFixture(mail: DeliveryFixture.smtp(server, auth: true), members: 1)
            try FileManager.default.removeItem(atPath: fixture.folder.appending("smtp-password"))
            let status = try run(fixture, ["outbox", "status"])
            #expect(status.status == 0, "\(status.errors)")
            #expect(status.output.contains("Outbox → \(server.url.absoluteString)"))
            #expect(try run(fixture, ["status", "--json"]).status == 0)
            // Sending does need it, and says where it looked.
            let send = try run(fixture, ["announce", "--network", "ikaihmiset", "--subject", "Tiedote", "--body", try writeBody(fixture), "--wait"])
            #expect(send.status == 1)
            #expect(send.errors.contains("smtp-password"))
        }
    }

    @Test func waitShowsAProgressLineOnATerminal() async throws {
        try await withSMTPTestServer { server in
            let fixture = try DeliveryFixture(mail: DeliveryFixture.smtp(server), members: 5)
            let body = try writeBody(fixture)
            let command = [
                try TiedotinBinary.path(), "announce", "--config", fixture.configuration.file, "--network", "ikaihmiset",
                "--subject", "Tiedote", "--body", body, "--wait",
            ].map { "'\($0)'" }.joined(separator: " ")
            // `script` gives the command a terminal, as an admin at a shell has.
            let result = try await ChildProcess.runAsync("/usr/bin/script", ["-qec", command, "/dev/null"])
            let text = result.output
            #expect(result.status == 0, "\(text)")
            #expect(text.contains("sent,"), "a progress line: \(text)")
            #expect(text.contains("/min"))
            #expect(text.contains("5 sent, 0 waiting for a retry, 0 failed."))
        }
    }
}

