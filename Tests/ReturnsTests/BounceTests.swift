import Foundation
import GRDB
import Testing
import TestSupport
@testable import TiedotinCore

/// Delivery status notifications shaped like Postfix's, Exchange Online's and Gmail's (RFC 3464, built with
/// Python's email package), an out-of-office reply and garbage, dropped into the bounce Maildir.
@Suite struct BounceTests {
    func verp(_ fixture: ReturnsFixture, _ email: String) throws -> String {
        "bounces+\(try fixture.token(email))@pohde.example.fi"
    }

    func reader(_ fixture: ReturnsFixture) throws -> MaildirReader {
        try #require(MaildirReader.bounces(configuration: fixture.configuration, store: fixture.store, logger: fixture.logger))
    }

    @Test func permanentFailuresMarkTheAddressWithTheServersWords() throws {
        let fixture = try ReturnsFixture()
        let names = try fixture.drop([
            ["kind": "postfix", "recipient": "pia.kangas@example.fi", "delivered_to": try verp(fixture, "pia.kangas@example.fi")],
            ["kind": "exchange", "recipient": "heidi.lotjonen@example.fi", "delivered_to": try verp(fixture, "heidi.lotjonen@example.fi")],
            ["kind": "gmail", "recipient": "eero.kylmanen@example.fi", "delivered_to": try verp(fixture, "eero.kylmanen@example.fi")],
        ], into: fixture.bounceMaildir)

        let pass = try reader(fixture).runDuePass(now: Date())

        #expect(pass.byName == ["permanent": 3])
        #expect(try fixture.undeliverable("pia.kangas@example.fi")
            == "550 5.1.1 <pia.kangas@example.fi>: Recipient address rejected: User unknown in virtual mailbox table")
        #expect(try fixture.undeliverable("heidi.lotjonen@example.fi")
            == "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup")
        let gmail = try #require(try fixture.undeliverable("eero.kylmanen@example.fi"))
        #expect(gmail.hasPrefix("550-5.1.1 The email account that you tried to reach does not exist. Please try 550-5.1.1 double-checking"))
        #expect(gmail.hasSuffix("- gsmtp"))
        #expect(try fixture.undeliverable("asa.lindqvist@example.fi") == nil)
        for name in names { #expect(fixture.filed(name, in: fixture.bounceMaildir) == name + ":2,S") }
        // An undeliverable address is left out of the next send.
        let recipients = try fixture.store.recipients(networks: ["ikaihmiset"], purpose: .notice).map(\.emailKey)
        #expect(recipients == ["asa.lindqvist@example.fi"])
        let report = try ReturnsReport(store: fixture.store, configuration: fixture.configuration)
        #expect(report.permanentBounces == 3)
        #expect(report.recentPermanent.map { $0.email }.sorted() == ["eero.kylmanen@example.fi", "heidi.lotjonen@example.fi", "pia.kangas@example.fi"])
    }

    @Test func delaysAreOnlyCountedAndAutoRepliesIgnored() throws {
        let fixture = try ReturnsFixture()
        let names = try fixture.drop([
            ["kind": "postfix", "status": "4.4.1", "recipient": "pia.kangas@example.fi",
             "diagnostic": "X-Postfix; connect to mx.example.fi[192.0.2.10]:25: Connection timed out",
             "delivered_to": try verp(fixture, "pia.kangas@example.fi")],
            ["kind": "out-of-office", "delivered_to": try verp(fixture, "heidi.lotjonen@example.fi")],
        ], into: fixture.bounceMaildir)

        #expect(try reader(fixture).runDuePass(now: Date()).byName == ["temporary": 1, "auto-reply": 1])
        #expect(try fixture.undeliverable("pia.kangas@example.fi") == nil)
        #expect(try fixture.undeliverable("heidi.lotjonen@example.fi") == nil)
        #expect(fixture.filed(names[0], in: fixture.bounceMaildir) == names[0] + ":2,S")
        #expect(fixture.filed(names[1], in: fixture.bounceMaildir) == names[1] + ":2,S")
        let report = try ReturnsReport(store: fixture.store, configuration: fixture.configuration)
        #expect((report.permanentBounces, report.temporaryBounces, report.autoReplies) == (0, 1, 1))
    }

    @Test func aGarbledReportFallsBackOnTheVERPTag() throws {
        let fixture = try ReturnsFixture()
        try fixture.drop([
            ["kind": "garbled", "recipient": "asa.lindqvist@example.fi", "delivered_to": try verp(fixture, "asa.lindqvist@example.fi")],
        ], into: fixture.bounceMaildir)
        #expect(try reader(fixture).runDuePass(now: Date()).byName == ["permanent": 1])
        #expect(try fixture.undeliverable("asa.lindqvist@example.fi") == "550 5.1.1 mailbox unavailable: no such user here")
    }

    @Test func garbageAndUntrustedReportsWaitForTheAdmin() throws {
        let fixture = try ReturnsFixture()
        let names = try fixture.drop([
            ["kind": "garbage"],
            // A report to the bare address, without a tag: anyone could have sent it.
            ["kind": "postfix", "recipient": "pia.kangas@example.fi", "delivered_to": "bounces@pohde.example.fi"],
            // A tag nobody was given.
            ["kind": "postfix", "recipient": "heidi.lotjonen@example.fi", "delivered_to": "bounces+aaaaaaaaaaaaaaaaaaaaaaaaaa@pohde.example.fi"],
        ], into: fixture.bounceMaildir)

        #expect(try reader(fixture).runDuePass(now: Date()).byName == ["kept-for-admin": 3])
        #expect(try fixture.undeliverable("pia.kangas@example.fi") == nil)
        #expect(try fixture.undeliverable("heidi.lotjonen@example.fi") == nil)
        for name in names { #expect(fixture.filed(name, in: fixture.bounceMaildir) == name + ":2,F") }
        let report = try ReturnsReport(store: fixture.store, configuration: fixture.configuration)
        #expect(report.keptForAdmin == 3)
        #expect(report.waitingForAdmin == 3)
        #expect(report.lines().contains("  waiting for the admin: 3 flagged messages in the unsubscribe and bounce Maildirs"))
    }

    @Test func queuedMailCarriesTheVERPSenderAndItsBounceFindsTheRecipient() throws {
        let fixture = try ReturnsFixture()
        _ = try NoticeComposer(configuration: fixture.configuration).queue(
            Announcement(networks: ["ikaihmiset"], subject: "Ikäihmisten verkoston tapaaminen", markdown: "Tervetuloa!"),
            in: Outbox(store: fixture.store), at: Date())
        let rows = try fixture.store.read { db in
            try Row.fetchAll(db, sql: "SELECT recipient, envelope_from FROM outbox ORDER BY recipient")
        }
        #expect(rows.count == 4)
        for row in rows {
            let recipient: String = row["recipient"]
            let sender: String = row["envelope_from"]
            #expect(sender == "bounces+\(try fixture.token(recipient))@pohde.example.fi")
            #expect(sender.utf8.count <= 64 + 1 + 255)
            #expect(sender.split(separator: "@")[0].allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "+") })
        }
        let pia = try #require(rows.first { $0["recipient"] == "pia.kangas@example.fi" })
        try fixture.drop([["kind": "postfix", "recipient": "pia.kangas@example.fi", "delivered_to": pia["envelope_from"]]], into: fixture.bounceMaildir)
        #expect(try reader(fixture).runDuePass(now: Date()).byName == ["permanent": 1])
        #expect(try fixture.undeliverable("pia.kangas@example.fi") != nil)
    }

    @Test func withoutBouncesTheSenderIsTheFromAddress() throws {
        var fixture = try ReturnsFixture()
        fixture.configuration.mail.bounces = nil
        let recipient = try fixture.store.recipients(networks: ["ikaihmiset"], purpose: .notice)[0]
        #expect(BounceAddress.envelopeSender(for: recipient, mail: fixture.configuration.mail) == "jarjestotyo@pohde.example.fi")
        #expect(BounceAddress.tag(in: "Bounces+ABC@Pohde.Example.FI", bounceAddress: "bounces@pohde.example.fi") == "abc")
        #expect(BounceAddress.tag(in: "<bounces+abc@other.example.fi>", bounceAddress: "bounces@pohde.example.fi") == nil)
        #expect(BounceAddress.tag(in: "bounces@pohde.example.fi", bounceAddress: "bounces@pohde.example.fi") == nil)
    }
}
