import Foundation
import Testing
import TestSupport
@testable import TiedotinCore

/// Real messages dropped into the unsubscribe Maildir, read by the service's reader.
@Suite struct UnsubscribeMailTests {
    @Test func aTokenInTheSubjectUnsubscribesAndEverythingElseWaitsForTheAdmin() throws {
        let fixture = try ReturnsFixture()
        let pia = try fixture.token("pia.kangas@example.fi")
        let heidi = try fixture.token("heidi.lotjonen@example.fi")
        let names = try fixture.drop([
            // What a mail client's unsubscribe button sends for mailto:...?subject=unsubscribe%20TOKEN.
            ["kind": "request", "subject": "unsubscribe \(pia)"],
            // A person replying, in a client that encodes the subject (RFC 2047).
            ["kind": "request", "subject": "Vast: unsubscribe \(heidi.uppercased()) – kiitos", "encode": "yes",
             "sender": "Heidi Lötjönen <heidi.lotjonen@example.fi>"],
            // A plea without a token, and a token nobody was given.
            ["kind": "request", "subject": "Poistakaa minut listalta", "body": "En halua enää tiedotteita.\n"],
            ["kind": "request", "subject": "unsubscribe aaaaaaaaaaaaaaaaaaaaaaaaaa"],
            ["kind": "out-of-office", "delivered_to": "unsubscribe@pohde.example.fi"],
            ["kind": "garbage"],
            // A provider's one-click for the mailto: target, sent by its servers and marked Auto-Submitted.
            ["kind": "request", "subject": "unsubscribe \(try fixture.token("eero.kylmanen@example.fi"))", "auto": "yes",
             "body": "This message was automatically generated.\n"],
        ], into: fixture.unsubscribeMaildir)
        let reader = try #require(MaildirReader.unsubscribeMail(configuration: fixture.configuration, store: fixture.store, logger: fixture.logger))

        let pass = reader.runDuePass(now: Date())

        #expect(pass.byName == ["unsubscribed": 3, "kept-for-admin": 3, "auto-reply": 1])
        #expect(pass.problem == nil)
        #expect(try fixture.suppression("pia.kangas@example.fi")?.source == "mail")
        #expect(try fixture.suppression("heidi.lotjonen@example.fi")?.source == "mail")
        #expect(try fixture.suppression("eero.kylmanen@example.fi")?.source == "mail")
        #expect(try fixture.suppression("asa.lindqvist@example.fi") == nil)
        // Nothing deleted: every message is in cur/, seen or flagged for the admin.
        #expect(fixture.names(in: fixture.unsubscribeMaildir, "new").isEmpty)
        #expect(fixture.names(in: fixture.unsubscribeMaildir, "cur").count == 7)
        #expect(fixture.filed(names[6], in: fixture.unsubscribeMaildir) == names[6] + ":2,S")
        #expect(fixture.filed(names[0], in: fixture.unsubscribeMaildir) == names[0] + ":2,S")
        #expect(fixture.filed(names[1], in: fixture.unsubscribeMaildir) == names[1] + ":2,S")
        #expect(fixture.filed(names[2], in: fixture.unsubscribeMaildir) == names[2] + ":2,F")
        #expect(fixture.filed(names[3], in: fixture.unsubscribeMaildir) == names[3] + ":2,F")
        #expect(fixture.filed(names[4], in: fixture.unsubscribeMaildir) == names[4] + ":2,S")
        #expect(fixture.filed(names[5], in: fixture.unsubscribeMaildir) == names[5] + ":2,F")

        let report = try ReturnsReport(store: fixture.store, configuration: fixture.configuration)
        #expect(report.unsubscribes == ["mail": 3])
        #expect(report.keptForAdmin == 3)
        #expect(report.autoReplies == 1)
        #expect(report.waitingForAdmin == 3)
        // The admin reads one flagged message in a mail client, which marks it seen.
        let flagged = fixture.folder.appending("mail/unsubscribe/cur/") + names[2]
        try FileManager.default.moveItem(atPath: flagged + ":2,F", toPath: flagged + ":2,FS")
        #expect(try ReturnsReport(store: fixture.store, configuration: fixture.configuration).waitingForAdmin == 2)
        // No log line holds a whole token.
        #expect(!fixture.logs.all.contains { $0.contains(pia) || $0.contains(heidi) || $0.lowercased().contains(heidi.lowercased()) })
    }

    @Test func aMessageReadTwiceAfterACrashCountsOnce() throws {
        let fixture = try ReturnsFixture()
        let token = try fixture.token("pia.kangas@example.fi")
        let names = try fixture.drop([["kind": "request", "subject": "unsubscribe \(token)"]], into: fixture.unsubscribeMaildir)
        let reader = try #require(MaildirReader.unsubscribeMail(configuration: fixture.configuration, store: fixture.store, logger: fixture.logger))
        #expect(reader.runDuePass(now: Date()).total == 1)
        // As if the service died after the database write and before the rename: the message is back in new/.
        let maildir = fixture.unsubscribeMaildir
        try FileManager.default.moveItem(atPath: "\(maildir)/cur/\(names[0]):2,S", toPath: "\(maildir)/new/\(names[0])")
        #expect(reader.runDuePass(now: Date()).total == 1)
        #expect(fixture.names(in: maildir, "cur") == [names[0] + ":2,S"])
        #expect(try fixture.store.returnedMailCounts()[.unsubscribe]?[.unsubscribed] == 1)
        // A pass with nothing new does nothing.
        #expect(reader.runDuePass(now: Date()).total == 0)
    }

    @Test func aMissingMaildirIsNoError() throws {
        let fixture = try ReturnsFixture()
        let reader = try #require(MaildirReader.unsubscribeMail(configuration: fixture.configuration, store: fixture.store, logger: fixture.logger))
        #expect(reader.runDuePass(now: Date()) == ReturnedMailPass())
        #expect(try ReturnsReport(store: fixture.store, configuration: fixture.configuration).waitingForAdmin == nil)
    }

    @Test func theTokenIsFoundOnlyWhereTheSubjectPutsIt() {
        let token = "abcdefghijklmnopqrstuvwxyz"
        #expect(UnsubscribeMail.token(inSubject: "unsubscribe \(token)") == Substring(token))
        #expect(UnsubscribeMail.token(inSubject: "Re: Unsubscribe  \(token)") == Substring(token))
        #expect(UnsubscribeMail.token(inSubject: "Fwd: unsubscribe:\(token)") == Substring(token))
        #expect(UnsubscribeMail.token(inSubject: token) == nil)
        #expect(UnsubscribeMail.token(inSubject: "unsubscribe \(token)1") == nil)
        #expect(UnsubscribeMail.token(inSubject: "unsubscribe") == nil)
        #expect(UnsubscribeMail.token(inSubject: "unsubscribe please") == nil)
    }
}
