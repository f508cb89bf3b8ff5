import Foundation
import GRDB
import TestSupport
import Testing
@testable import TiedotinCore

/// The planner over a real database at fixed dates, each message judged by Python's parsers.
@Suite struct MeetingPlanningTests {
    static let jyry = """
            location: Teams / Oulu, Kehräämö
            url: https://teams.example.fi/l/meetup-join/jyry
            duration: 2h
            invite_lead: 21d
            reminder_lead: 2d
            meetings:
              - id: jyry-2027-02
                start: 2027-02-10T13:00
                agenda: Hyte-neuvottelut; avustusperiaatteet 2028
        """

    static func jyry(start: String = "2027-02-10T13:00", extra: String = "") -> String {
        jyry.replacingOccurrences(of: "start: 2027-02-10T13:00", with: "start: \(start)" + extra)
    }

    @Test func invitationGoesAtItsLeadOnceAndNotBefore() throws {
        let fixture = try MeetingsFixture(forum: Self.jyry, now: "2027-01-20T12:59")
        let early = try fixture.pass()
        #expect(early.total == 0)
        #expect(early.nextDue == MeetingsFixture.helsinki("2027-01-20T13:00"))

        fixture.set("2027-01-20T13:00")
        #expect(try fixture.pass().queued == [.invitation: 3])
        #expect(try fixture.pass().total == 0, "a second pass sends nothing twice")

        let queued = try fixture.queued()
        #expect(Set(queued.map(\.recipient)) == Set(MeetingsFixture.people.map(\.email)))
        let message = try MeetingMessage(queued[0].message)
        #expect(message.subject == "Kutsu: Järjestöyhteistyöryhmä JYRY ke 10.2.2027 klo 13–15")
        #expect(message.partMethod == "REQUEST")
        #expect(message.event.uid == "jyry-2027-02@pohde.example.fi")
        #expect(message.event.sequence == 0)
        #expect(message.event.status == "CONFIRMED")
        #expect(message.event.dtstart == "2027-02-10T13:00:00+02:00")
        #expect(message.event.tzid == "Europe/Helsinki")
        #expect(message.event.location == "Teams / Oulu, Kehräämö")
        #expect(message.event.organizer?.address == "mailto:jarjestotyo@pohde.example.fi")
        #expect(message.text.contains("Asialista: Hyte-neuvottelut; avustusperiaatteet 2028"))
        #expect(message.html.contains("https://teams.example.fi/l/meetup-join/jyry"))
        let row = try #require(try fixture.meetings.meeting("jyry-2027-02"))
        #expect(row.sequence == 0 && !row.cancelled)
    }

    @Test func withABounceAddressEachInvitationCarriesItsMembersVERPTag() throws {
        let fixture = try MeetingsFixture(
            forum: Self.jyry,
            mail: "  transport: maildir\n  maildir: maildir\n  bounces:\n    address: bounces@pohde.example.fi",
            now: "2027-01-20T13:00")
        #expect(try fixture.pass().queued == [.invitation: 3])
        let envelopes = try fixture.store.read { db in
            try Row.fetchAll(db, sql: "SELECT recipient, envelope_from FROM outbox").map { row -> (String, String) in
                (row["recipient"], row["envelope_from"])
            }
        }
        #expect(envelopes.count == 3)
        for (recipient, envelope) in envelopes {
            // The tag is the member's own token, the one a bounce report is matched by.
            #expect(envelope == "bounces+\(try fixture.store.token(for: Member.key(for: recipient)))@pohde.example.fi")
        }
    }

    @Test func aMeetingNearerThanTheLeadIsInvitedAtOnceAndAPastOneNever() throws {
        let forum = Self.jyry + """

                  - id: jyry-2027-01
                    start: 2027-01-10T13:00
            """
        let fixture = try MeetingsFixture(forum: forum, now: "2027-02-05T08:00")
        #expect(try fixture.pass().queued == [.invitation: 3])
        #expect(try fixture.queued().allSatisfy { $0.subject.contains("10.2.2027") })
    }

    @Test func aMoveSendsAnUpdateThatSaysWhatChangedAndAnAgendaEditSendsNothing() throws {
        var fixture = try MeetingsFixture(forum: Self.jyry, now: "2027-01-21T10:00")
        try fixture.pass()
        try fixture.edit(forum: Self.jyry.replacingOccurrences(of: "avustusperiaatteet 2028", with: "avustusperiaatteet 2028 ja 2029"))
        #expect(try fixture.pass().total == 0)

        try fixture.edit(forum: Self.jyry(start: "2027-02-11T14:30").replacingOccurrences(of: "2028", with: "2028 ja 2029"))
        fixture.clock.advance(by: 60)
        #expect(try fixture.pass().queued == [.update: 3])
        #expect(try fixture.pass().total == 0)
        let update = try MeetingMessage(try #require(fixture.queued().last).message)
        #expect(update.subject == "Muutos: Järjestöyhteistyöryhmä JYRY to 11.2.2027 klo 14.30–16.30")
        #expect(update.event.uid == "jyry-2027-02@pohde.example.fi")
        #expect(update.event.sequence == 1)
        #expect(update.partMethod == "REQUEST")
        #expect(update.event.dtstart == "2027-02-11T14:30:00+02:00")
        #expect(update.text.contains("aika muuttui: ke 10.2.2027 klo 13–15 → to 11.2.2027 klo 14.30–16.30"))
        #expect(update.html.contains("<s>ke 10.2.2027 klo 13–15</s>"))
        #expect(update.text.contains("ja 2029"), "the current agenda travels with the update")
    }

    @Test func remindersGoAtTheirLeadToThoseInvitedOnly() throws {
        let fixture = try MeetingsFixture(forum: Self.jyry, now: "2027-01-21T10:00")
        try fixture.pass()
        fixture.set("2027-02-08T12:59")
        #expect(try fixture.pass().total == 0)
        fixture.set("2027-02-08T13:00")
        #expect(try fixture.pass().queued == [.reminder: 3])
        #expect(try fixture.pass().total == 0)
        let reminder = try MeetingMessage(try #require(fixture.queued().last).message)
        #expect(reminder.subject == "Muistutus: Järjestöyhteistyöryhmä JYRY ke 10.2.2027 klo 13–15")
        #expect(reminder.event.sequence == 0 && reminder.partMethod == "REQUEST")
    }

    @Test func aPassAfterDowntimeCatchesUpWithoutAReminderOnTopOfTheInvitation() throws {
        let fixture = try MeetingsFixture(forum: Self.jyry, now: "2027-02-09T08:00")
        #expect(try fixture.pass().queued == [.invitation: 3])
        #expect(try fixture.pass().total == 0)
        fixture.set("2027-02-10T13:00")
        #expect(try fixture.pass().total == 0, "nothing for a meeting that has begun")
    }

    @Test func cancelledTrueSendsACancellationWithAHigherSequence() throws {
        var fixture = try MeetingsFixture(forum: Self.jyry, now: "2027-01-21T10:00")
        try fixture.pass()
        try fixture.edit(forum: Self.jyry(extra: "\n        cancelled: true"))
        #expect(try fixture.pass().queued == [.cancellation: 3])
        #expect(try fixture.pass().total == 0)
        let cancellation = try MeetingMessage(try #require(fixture.queued().last).message)
        #expect(cancellation.subject == "Peruttu: Järjestöyhteistyöryhmä JYRY ke 10.2.2027 klo 13–15")
        #expect(cancellation.partMethod == "CANCEL")
        #expect(cancellation.event.status == "CANCELLED")
        #expect(cancellation.event.sequence == 1)
        #expect(cancellation.event.uid == "jyry-2027-02@pohde.example.fi")
        fixture.set("2027-02-08T13:00")
        #expect(try fixture.pass().total == 0, "no reminder of a cancelled meeting")
    }

    @Test func aMeetingGoneFromTheConfigIsCancelledIfInvitedAndForgottenIfNot() throws {
        let two = Self.jyry + """

                  - id: jyry-2027-06
                    start: 2027-06-09T13:00
            """
        var fixture = try MeetingsFixture(forum: two, now: "2027-01-21T10:00")
        try fixture.pass()
        try fixture.edit(forum: "    meetings: []")
        #expect(try fixture.pass().queued == [.cancellation: 3])
        #expect(try fixture.meetings.meeting("jyry-2027-02")?.cancelled == true)
        #expect(try fixture.meetings.meeting("jyry-2027-06") == nil)
    }

    @Test func aLateJoinerGetsTheCurrentVersionAndALeaverACancellationOfTheirCopy() throws {
        var fixture = try MeetingsFixture(forum: Self.jyry, now: "2027-01-21T10:00")
        try fixture.pass()
        try fixture.edit(forum: Self.jyry(start: "2027-02-10T14:00"))
        try fixture.pass()
        _ = try fixture.lists.add(email: "aino.korhonen@example.fi", networks: ["jyry"], name: "Aino Korhonen", at: fixture.clock.now)
        _ = try fixture.lists.remove(email: "eero.kylmanen@example.fi", network: "jyry")
        _ = try fixture.store.unsubscribe(email: "pia.kangas@example.fi", scope: .all, source: "test", at: fixture.clock.now)
        #expect(try fixture.pass().queued == [.invitation: 1, .cancellation: 1])
        #expect(try fixture.pass().total == 0)
        let last = try fixture.queued().suffix(2).map { try MeetingMessage($0.message) }
        let joiner = try #require(last.first { $0.to == "aino.korhonen@example.fi" })
        #expect(joiner.event.sequence == 1 && joiner.partMethod == "REQUEST")
        #expect(joiner.event.dtstart == "2027-02-10T14:00:00+02:00")
        #expect(joiner.subject.hasPrefix("Kutsu: "))
        let leaver = try #require(last.first { $0.to == "eero.kylmanen@example.fi" })
        #expect(leaver.partMethod == "CANCEL" && leaver.event.sequence == 2)
        #expect(leaver.event.attendees.first?.cn == "Eero Kylmänen")
        #expect(leaver.subject == "Kutsu peruttu: Järjestöyhteistyöryhmä JYRY ke 10.2.2027 klo 14–16")
        #expect(leaver.text.contains("Et ole enää kokouksen kutsuttujen joukossa"))

        // The meeting moves again: the leaver and the unsubscriber hear nothing, the rest an update above every copy.
        try fixture.edit(forum: Self.jyry(start: "2027-02-10T15:00"))
        fixture.clock.advance(by: 60)
        #expect(try fixture.pass().queued == [.update: 2])
        let updates = try fixture.queued().suffix(2).map { try MeetingMessage($0.message) }
        #expect(Set(updates.map(\.to)) == ["asa.lindqvist@example.fi", "aino.korhonen@example.fi"])
        #expect(updates.allSatisfy { $0.event.sequence == 3 })
    }

    @Test func aRecurrenceRuleChangeKeepsTheDatesThatStayAndCancelsTheOnesThatGo() throws {
        let rule = { (rule: String) in
            """
                invite_lead: 60d
                recurrence:
                  rule: \(rule)
                  start: 2027-01-13T09:00
                  except: [2027-03-10]
            """
        }
        var fixture = try MeetingsFixture(forum: rule("FREQ=MONTHLY;BYDAY=2WE;COUNT=4"), now: "2027-01-01T10:00")
        #expect(try fixture.pass().queued == [.invitation: 6], "2027-01-13 and 2027-02-10 are within 60 days")
        let ids = try fixture.meetings.listing().map(\.record.id)
        #expect(ids == ["jyry-20270113", "jyry-20270210", "jyry-20270414"])

        // Same dates an hour later: the same meetings, updated. The first Wednesday instead: new ones.
        try fixture.edit(forum: rule("FREQ=MONTHLY;BYDAY=2WE;BYHOUR=10;COUNT=4"))
        fixture.clock.advance(by: 60)
        #expect(try fixture.pass().queued == [.update: 6])
        try fixture.edit(forum: rule("FREQ=MONTHLY;BYDAY=2WE,4WE;BYHOUR=10;UNTIL=20270131T235959Z"))
        fixture.clock.advance(by: 60)
        let report = try fixture.pass()
        #expect(report.queued == [.invitation: 3, .cancellation: 3], "01-13 stays as it is, 01-27 is new, 02-10 goes")
        #expect(try fixture.meetings.meeting("jyry-20270210")?.cancelled == true)
        #expect(try fixture.meetings.meeting("jyry-20270414") == nil)
    }

    @Test func swedishTextsAndWeekdays() throws {
        let fixture = try MeetingsFixture(forum: Self.jyry, language: "sv", now: "2027-01-21T10:00")
        try fixture.pass()
        let message = try MeetingMessage(try #require(fixture.queued().first).message)
        #expect(message.subject == "Inbjudan: Järjestöyhteistyöryhmä JYRY ons 10.2.2027 kl. 13–15")
        #expect(message.text.contains("Plats: Teams / Oulu, Kehräämö"))
    }

    @Test("invitations are queued many to a transaction: one the database refuses queues nothing of itself, the rest of its batch go, and the next pass sends it once")
    func oneRefusedInvitationLeavesTheOthersOfItsTransaction() throws {
        // More members than one transaction's orders, so the pass takes three.
        let members = (1...300).map { (email: String(format: "jasen%03d@yhdistys.example.fi", $0), name: "Jäsen \($0)") }
        let fixture = try MeetingsFixture(forum: Self.jyry, now: "2027-01-20T13:00", members: members)
        let refused = "jasen150@yhdistys.example.fi"
        // The database says no to one member's outbox row, in the middle of the second transaction.
        try fixture.store.write { db in
            try db.execute(sql: """
                CREATE TEMP TRIGGER refuse BEFORE INSERT ON main.outbox WHEN NEW.recipient = '\(refused)'
                BEGIN SELECT RAISE(ABORT, 'the disk said no'); END
                """)
        }
        // A TEMP trigger lives on the connection that made it: every write goes through the one writer.
        #expect(try fixture.pass().queued == [.invitation: 299])
        let queued = try fixture.queued()
        #expect(queued.count == 299)
        #expect(!queued.contains { $0.recipient == refused })
        let noticed = try fixture.meetings.notices(of: "jyry-2027-02")
        #expect(noticed.count == 299, "the refused order's notice row went back with its savepoint")
        #expect(!noticed.contains { $0.recipient == refused })

        try fixture.store.write { db in try db.execute(sql: "DROP TRIGGER temp.refuse") }
        #expect(try fixture.pass().queued == [.invitation: 1])
        #expect(try fixture.pass().total == 0)
        let again = try fixture.queued()
        #expect(again.count == 300)
        #expect(Set(again.map(\.recipient)).count == 300, "nobody has two")
    }

    @Test("an error on which SQLite rolls the whole transaction back queues none of its batch, the other transactions go, and the next pass sends the rest once")
    func aTransactionSQLiteRollsBackQueuesNoneOfItsBatch() throws {
        let members = (1...300).map { (email: String(format: "jasen%03d@yhdistys.example.fi", $0), name: "Jäsen \($0)") }
        let fixture = try MeetingsFixture(forum: Self.jyry, now: "2027-01-20T13:00", members: members)
        // RAISE(ROLLBACK) ends the whole transaction, as a full disk or an I/O error may.
        try fixture.store.write { db in
            try db.execute(sql: """
                CREATE TEMP TRIGGER refuse BEFORE INSERT ON main.outbox WHEN NEW.recipient = 'jasen150@yhdistys.example.fi'
                BEGIN SELECT RAISE(ROLLBACK, 'the disk is full'); END
                """)
        }
        // Orders 129-256 share a transaction with member 150: none of them goes, and the admin
        // reads why for each, with the meeting and the member.
        let log = CapturedLog()
        #expect(try fixture.pass(log: log).queued == [.invitation: 172])
        let errors = log.all.filter { $0.hasPrefix("error cannot queue a meeting invitation") }
        #expect(errors.count == 128)
        #expect(errors.allSatisfy { $0.contains("the disk is full") && $0.contains("meeting=jyry-2027-02") }, "\(errors.prefix(2))")
        #expect(errors.contains { $0.contains("recipient=jasen129@yhdistys.example.fi") })
        #expect(try fixture.queued().count == 172)
        #expect(try fixture.meetings.notices(of: "jyry-2027-02").count == 172)

        try fixture.store.write { db in try db.execute(sql: "DROP TRIGGER temp.refuse") }
        #expect(try fixture.pass().queued == [.invitation: 128])
        let all = try fixture.queued()
        #expect(all.count == 300)
        #expect(Set(all.map(\.recipient)).count == 300, "nobody has two")
    }
}
