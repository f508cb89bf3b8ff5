import Foundation
import Testing
import TiedotinCore

/// An unsubscribe is kept by address: it outlives re-imports, --sync and remove/add; only resubscribe lifts it.
@Suite struct SubscriptionTests {
    static let list = header
        + "pia.kangas@example.fi,Pia Kangas,Oulun ensi- ja turvakoti ry,jyry;lapsiperheet\n"
        + "matti.heikkinen@example.fi,Matti Heikkinen,SOS-Lapsikylä,lapsiperheet\n"

    /// Whether the address would get the newsletter and an invitation to a lapsiperheet meeting.
    func gets(_ fixture: Fixture, _ email: String) throws -> (notice: Bool, invitation: Bool) {
        let notice = try fixture.store.recipients(networks: ["lapsiperheet"], purpose: .notice).map(\.emailKey)
        let invitation = try fixture.store.recipients(networks: ["lapsiperheet"], purpose: .invitation).map(\.emailKey)
        return (notice.contains(email), invitation.contains(email))
    }

    @Test func anUnsubscribeStopsNoticesButNotInvitations() throws {
        let fixture = try Fixture()
        try fixture.importText(Self.list)
        let result = try fixture.store.unsubscribe(email: "Pia.Kangas@example.fi", scope: .notices, source: "admin", at: Fixture.now)
        #expect(result.changed)
        #expect(result.isMember)
        #expect(try gets(fixture, "pia.kangas@example.fi") == (false, true))
        #expect(try gets(fixture, "matti.heikkinen@example.fi") == (true, true))
        let listing = try #require(try fixture.listing("pia.kangas@example.fi"))
        #expect(listing.unsubscribed && !listing.invitationsOff)
    }

    @Test func unsubscribeAllStopsInvitationsToo() throws {
        let fixture = try Fixture()
        try fixture.importText(Self.list)
        try fixture.store.unsubscribe(email: "pia.kangas@example.fi", scope: .all, source: "admin", at: Fixture.now)
        #expect(try gets(fixture, "pia.kangas@example.fi") == (false, false))
        // A later unsubscribe from notices only does not narrow it.
        let again = try fixture.store.unsubscribe(email: "pia.kangas@example.fi", scope: .notices, source: "token", at: Fixture.now)
        #expect(!again.changed)
        #expect(again.scope == .all)
        #expect(try gets(fixture, "pia.kangas@example.fi") == (false, false))
    }

    @Test func theUnsubscribeSurvivesReimportSyncAndRemoveAndAdd() throws {
        let fixture = try Fixture()
        try fixture.importText(Self.list)
        try fixture.store.unsubscribe(email: "pia.kangas@example.fi", scope: .all, source: "admin", at: Fixture.now)

        try fixture.importText(Self.list)
        #expect(try gets(fixture, "pia.kangas@example.fi") == (false, false))

        try fixture.importText(header + "matti.heikkinen@example.fi,,,\n", sync: "lapsiperheet")
        try fixture.importText(Self.list, sync: "lapsiperheet")
        #expect(try gets(fixture, "pia.kangas@example.fi") == (false, false))

        try fixture.lists.remove(email: "pia.kangas@example.fi")
        #expect(try fixture.listing("pia.kangas@example.fi") == nil)
        try fixture.lists.add(email: "pia.kangas@example.fi", networks: ["lapsiperheet"], at: Fixture.now)
        #expect(try gets(fixture, "pia.kangas@example.fi") == (false, false))
        #expect(try fixture.listing("pia.kangas@example.fi")?.invitationsOff == true)
    }

    @Test func resubscribeLiftsIt() throws {
        let fixture = try Fixture()
        try fixture.importText(Self.list)
        try fixture.store.unsubscribe(email: "pia.kangas@example.fi", scope: .all, source: "admin", at: Fixture.now)
        let lifted = try fixture.store.resubscribe(email: "PIA.KANGAS@EXAMPLE.FI")
        #expect(lifted?.scope == .all)
        #expect(try gets(fixture, "pia.kangas@example.fi") == (true, true))
        #expect(try fixture.store.resubscribe(email: "pia.kangas@example.fi") == nil)
    }

    @Test func anAddressThatIsNotAMemberCanUnsubscribeAndALaterImportDoesNotMailThem() throws {
        let fixture = try Fixture()
        let result = try fixture.store.unsubscribe(email: "aino.korhonen@example.fi", scope: .notices, source: "mailto", at: Fixture.now)
        #expect(!result.isMember)
        try fixture.importText(header + "aino.korhonen@example.fi,Aino Korhonen,MLL Pohjois-Pohjanmaan piiri,lapsiperheet\n")
        #expect(try gets(fixture, "aino.korhonen@example.fi") == (false, true))
    }

    @Test func unsubscribeRefusesTextThatIsNotAnAddress() throws {
        let fixture = try Fixture()
        #expect(throws: MemberError.invalidAddress("pia kangas", .whitespace)) {
            try fixture.store.unsubscribe(email: "pia kangas", scope: .notices, source: "admin", at: Fixture.now)
        }
        #expect(try fixture.snapshot().isEmpty)
    }

    /// An unsubscribe takes back what it stops and is still waiting in the outbox; an address found
    /// dead (a bounce) takes back everything to it. Mail to others stays.
    @Test func waitingMailIsTakenBackAsFarAsTheUnsubscribeOrTheBounceReaches() throws {
        let fixture = try Fixture()
        try fixture.importText(Self.list)
        let outbox = Outbox(store: fixture.store)
        for kind in ["notice", "meeting-request", "acknowledgement"] {
            let messages = ["Pia.Kangas@EXAMPLE.fi", "matti.heikkinen@example.fi"].map {
                OutboxMessage(recipient: $0, envelopeSender: "jarjestotyo@pohde.example.fi", header: Array("Subject: \(kind)\r\n".utf8))
            }
            try outbox.enqueue(OutboxSend(kind: kind, subject: kind, body: Array("\r\nTervetuloa!\r\n".utf8), messages: messages), at: Fixture.now)
        }
        func counts(queued: Int, failed: Int) -> OutboxCounts {
            var counts = OutboxCounts()
            counts.queued = queued
            counts.failed = failed
            return counts
        }

        let notices = try fixture.store.unsubscribe(email: "pia.kangas@example.fi", scope: .notices, source: "one-click", at: Fixture.now)
        #expect(notices.withdrawn == 1, "the notice, not the invitation or the acknowledgement")
        #expect(try outbox.counts() == counts(queued: 5, failed: 1))
        let again = try fixture.store.unsubscribe(email: "pia.kangas@example.fi", scope: .notices, source: "token", at: Fixture.now)
        #expect(again.withdrawn == 0)

        let all = try fixture.store.unsubscribe(email: "pia.kangas@example.fi", scope: .all, source: "admin", at: Fixture.now)
        #expect(all.withdrawn == 1, "the invitation")
        #expect(try outbox.counts() == counts(queued: 4, failed: 2))

        try fixture.store.markUndeliverable(emailKey: "pia.kangas@example.fi", answer: "550 5.1.1 user unknown", at: Fixture.now)
        #expect(try outbox.counts() == counts(queued: 3, failed: 3), "the acknowledgement too; Matti's three wait")
    }
}
