import Foundation
import Logging
import TestSupport
import Testing
@testable import TiedotinCore

/// The whole life of two meetings through the real test SMTP server on 127.0.0.1: invitation,
/// update (moved), reminder, cancellation, a late joiner and a member who leaves. Every message the
/// server received is checked for UID, SEQUENCE, METHOD and its one ATTENDEE, the RCPT TO.
@Suite struct MeetingSequenceSMTPTests {
    static func forum(february: String = "2027-02-10T13:00", cancelled: Bool = false) -> String {
        """
            location: Teams / Oulu, Kehräämö
            duration: 2h
            invite_lead: 60d
            reminder_lead: 2d
            meetings:
              - id: jyry-2027-02
                start: \(february)\(cancelled ? "\n        cancelled: true" : "")
              - id: jyry-2027-03
                start: 2027-03-10T13:00
        """
    }

    struct Expected: Equatable, CustomStringConvertible {
        var recipient: String
        var uid: String
        var sequence: Int
        var method: String
        var description: String { "\(method) \(uid) #\(sequence) → \(recipient)" }
    }

    @Test func invitationUpdateReminderCancellationLateJoinerAndLeaver() async throws {
        try await withSMTPTestServer { server in
            let mail = server.mailConfig
            var fixture = try MeetingsFixture(forum: Self.forum(), mail: mail, now: "2027-01-21T10:00")
            let engine = try DeliveryEngine(
                outbox: Outbox(store: fixture.store), transport: TransportFactory.make(for: fixture.configuration.mail, password: nil),
                settings: .init(fixture.configuration.mail), clock: fixture.clock,
                logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
            var received = 0
            let people = MeetingsFixture.people.map(\.email)
            let february = "jyry-2027-02@pohde.example.fi", march = "jyry-2027-03@pohde.example.fi"

            /// Plans, delivers, and checks that exactly `expected` arrived, in any order.
            func step(_ name: String, _ expected: [Expected], subjectPrefix: String) async throws {
                try fixture.pass()
                _ = await engine.deliverDue()
                let messages = try await server.waitForMessages(count: received + expected.count)
                #expect(messages.count == received + expected.count, "\(name): nothing more than expected arrives")
                var seen: [Expected] = []
                for captured in messages.dropFirst(received) {
                    let message = try MeetingMessage(captured.data)
                    #expect(captured.recipients == [message.to], "\(name)")
                    #expect(message.event.attendees.map(\.address) == ["mailto:\(captured.recipients[0])"], "\(name)")
                    #expect(message.subject.hasPrefix(subjectPrefix), "\(name): \(message.subject)")
                    seen.append(Expected(
                        recipient: captured.recipients[0], uid: message.event.uid ?? "", sequence: message.event.sequence ?? -1,
                        method: message.partMethod ?? ""))
                }
                let order = { (a: Expected, b: Expected) in (a.uid, a.recipient) < (b.uid, b.recipient) }
                #expect(seen.sorted(by: order) == expected.sorted(by: order), "\(name)")
                received += expected.count
                #expect(try fixture.pass().total == 0, "\(name): a second pass sends nothing twice")
            }

            try await step("invitations", people.flatMap { [
                Expected(recipient: $0, uid: february, sequence: 0, method: "REQUEST"),
                Expected(recipient: $0, uid: march, sequence: 0, method: "REQUEST"),
            ] }, subjectPrefix: "Kutsu: ")

            try fixture.edit(forum: Self.forum(february: "2027-02-11T09:00"), mail: mail)
            fixture.clock.advance(by: 3600)
            try await step("update", people.map { Expected(recipient: $0, uid: february, sequence: 1, method: "REQUEST") },
                           subjectPrefix: "Muutos: ")

            fixture.set("2027-02-09T09:00")
            try await step("reminder", people.map { Expected(recipient: $0, uid: february, sequence: 1, method: "REQUEST") },
                           subjectPrefix: "Muistutus: ")

            try fixture.edit(forum: Self.forum(february: "2027-02-11T09:00", cancelled: true), mail: mail)
            fixture.clock.advance(by: 600)
            try await step("cancellation", people.map { Expected(recipient: $0, uid: february, sequence: 2, method: "CANCEL") },
                           subjectPrefix: "Peruttu: ")

            _ = try fixture.lists.add(email: "aino.korhonen@example.fi", networks: ["jyry"], name: "Aino Korhonen", at: fixture.clock.now)
            fixture.clock.advance(by: 600)
            try await step("late joiner", [Expected(recipient: "aino.korhonen@example.fi", uid: march, sequence: 0, method: "REQUEST")],
                           subjectPrefix: "Kutsu: ")

            _ = try fixture.lists.remove(email: "eero.kylmanen@example.fi", network: "jyry")
            fixture.clock.advance(by: 600)
            try await step("leaver", [Expected(recipient: "eero.kylmanen@example.fi", uid: march, sequence: 1, method: "CANCEL")],
                           subjectPrefix: "Kutsu peruttu: ")
        }
    }
}
