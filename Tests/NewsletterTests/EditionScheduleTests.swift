import Foundation
import Logging
import Testing
import TestSupport
@testable import TiedotinCore

/// Editions on the schedule: fixed at the preview, sent once at the send time, late after an
/// outage, held, approved, or not sent when empty. The clock is the test's.
@Suite struct EditionScheduleTests {
    @Test func thePreviewFixesTheEditionAndLaterItemsWaitForTheNextOne() throws {
        let fixture = try EditionFixture()
        let desk = try fixture.desk()
        try fixture.item("Vapaaehtoistoiminnan perehdytys", date: "2027-01-12")
        // Before the preview time nothing happens, and the pass says when to look again.
        let early = try desk.runDuePass(now: EditionFixture.saturday)
        #expect(early.nextDue == EditionFixture.previewTime)
        #expect(try fixture.sends("preview").isEmpty)

        try desk.runDuePass(now: EditionFixture.previewTime)
        let previews = try fixture.sends("preview")
        #expect(previews.count == 1)
        #expect(previews.first?.recipients == [EditionFixture.editor])
        #expect(previews.first?.subject == "Esikatselu: Järjestö- ja seurakuntatiedote 5.1.2027")

        try fixture.item("Omaishoitajien vertaisryhmä alkaa")
        let sent = try desk.runDuePass(now: EditionFixture.sendTime)
        #expect(sent.done.count == 1)
        let newsletters = try fixture.sends("newsletter")
        #expect(newsletters.count == 1)
        #expect(newsletters.first?.recipients == EditionFixture.members.map(\.0).sorted())
        let edition = try #require(try fixture.editions().first { $0.status == .sent })
        #expect(edition.html?.contains("Vapaaehtoistoiminnan perehdytys") == true)
        #expect(edition.html?.contains("Omaishoitajien vertaisryhmä") == false)

        // Again at the same moment and later: nothing more goes out for that send time.
        try desk.runDuePass(now: EditionFixture.sendTime.addingTimeInterval(60))
        #expect(try fixture.sends("newsletter").count == 1)

        // The late item is in the next week's edition.
        let nextPreview = EditionFixture.sendTime.addingTimeInterval(5 * 86_400)
        try desk.runDuePass(now: nextPreview)
        try desk.runDuePass(now: nextPreview.addingTimeInterval(2 * 86_400))
        let second = try fixture.editions().filter { $0.status == .sent }
        #expect(second.count == 2)
        #expect(second.last?.html?.contains("Omaishoitajien vertaisryhmä") == true)
        #expect(second.last?.html?.contains("Vapaaehtoistoiminnan perehdytys") == false)
    }

    @Test func anEditionDueWhileTheServiceWasDownGoesOnceWhenItComesBack() throws {
        let fixture = try EditionFixture()
        let clock = ManualClock(EditionFixture.previewTime)
        let scheduler = EditionScheduler(
            desk: try fixture.desk(), clock: clock,
            logger: .init(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        try fixture.item("Järjestöfoorumi Kehräämössä", section: "ajankohtaista", date: "2027-01-20")
        #expect(scheduler.runDuePass(now: clock.now) == EditionFixture.sendTime)
        // The service stops here and comes back three days after the send time.
        clock.advance(by: 5 * 86_400)
        #expect(try fixture.sends("newsletter").isEmpty)
        scheduler.runDuePass(now: clock.now)
        scheduler.runDuePass(now: clock.now)
        clock.advance(by: 60)
        scheduler.runDuePass(now: clock.now)
        let newsletters = try fixture.sends("newsletter")
        #expect(newsletters.count == 1)
        #expect(newsletters.first?.recipients.count == EditionFixture.members.count)
    }

    @Test func sendTimesMissedEntirelyBecomeOneEdition() throws {
        let fixture = try EditionFixture()
        let desk = try fixture.desk()
        try fixture.item("Avustushaku 2027 on auki", section: "avustukset")
        try desk.runDuePass(now: EditionFixture.previewTime)
        try desk.runDuePass(now: EditionFixture.sendTime)
        try fixture.item("Kevään koulutuskalenteri")
        // Down for four weeks: four send times passed without a preview.
        try desk.runDuePass(now: EditionFixture.sendTime.addingTimeInterval(29 * 86_400))
        let sent = try fixture.editions().filter { $0.status == .sent }
        #expect(sent.count == 2)
        #expect(sent.last?.scheduledFor == EditionFixture.helsinkiTime(2027, 2, 2, 9))
        #expect(try fixture.sends("newsletter").count == 2)
    }

    @Test func anEmptyEditionIsNotSentAndTheEditorsAreTold() throws {
        let fixture = try EditionFixture()
        let desk = try fixture.desk()
        try desk.runDuePass(now: EditionFixture.previewTime)
        #expect(try fixture.sends("preview").isEmpty)
        try desk.runDuePass(now: EditionFixture.sendTime)
        try desk.runDuePass(now: EditionFixture.sendTime.addingTimeInterval(600))
        #expect(try fixture.sends("newsletter").isEmpty)
        let told = try fixture.sends("editors")
        #expect(told.count == 1)
        #expect(told.first?.subject == "Ei lähetetty: Järjestö- ja seurakuntatiedote 5.1.2027")
        #expect(try fixture.editions().map(\.status) == [.empty])
    }

    @Test func anItemArrivingAfterThePreviewTimeStillMakesAnEmptyEditionWorthAPreview() throws {
        let fixture = try EditionFixture()
        let desk = try fixture.desk()
        let waiting = try desk.runDuePass(now: EditionFixture.previewTime)
        #expect(waiting.nextDue == EditionFixture.previewTime.addingTimeInterval(EditionDesk.itemRecheck))
        try fixture.item("Seurakuntien diakoniatyön info", section: "ajankohtaista")
        try desk.runDuePass(now: EditionFixture.previewTime.addingTimeInterval(3600))
        #expect(try fixture.sends("preview").count == 1)
        try desk.runDuePass(now: EditionFixture.sendTime)
        #expect(try fixture.sends("newsletter").count == 1)
    }

    @Test func withApprovalRequiredTheEditionWaitsAndTheEditorsAreToldOnce() throws {
        let fixture = try EditionFixture(newsletter: "  approval: required")
        let desk = try fixture.desk()
        try fixture.item("JYRYn kokous 10.2.2027", section: "ajankohtaista")
        // Nothing to approve before the preview.
        #expect(throws: EditionError.self) { try desk.approve(now: EditionFixture.saturday) }
        try desk.runDuePass(now: EditionFixture.previewTime)
        try desk.runDuePass(now: EditionFixture.sendTime)
        try desk.runDuePass(now: EditionFixture.sendTime.addingTimeInterval(3600))
        #expect(try fixture.sends("newsletter").isEmpty)
        #expect(try fixture.sends("editors").map(\.subject) == ["Odottaa hyväksyntää: Järjestö- ja seurakuntatiedote 5.1.2027"])
        try desk.approve(now: EditionFixture.sendTime.addingTimeInterval(7200))
        #expect(try fixture.sends("newsletter").count == 1)
    }

    @Test func approvalBeforeTheSendTimeLetsItGoOnTime() throws {
        let fixture = try EditionFixture(newsletter: "  approval: required")
        let desk = try fixture.desk()
        try fixture.item("JYRYn kokous 10.2.2027", section: "ajankohtaista")
        try desk.runDuePass(now: EditionFixture.previewTime)
        try desk.approve(now: EditionFixture.previewTime.addingTimeInterval(600))
        #expect(try fixture.sends("newsletter").isEmpty)
        try desk.runDuePass(now: EditionFixture.sendTime)
        #expect(try fixture.sends("newsletter").count == 1)
        #expect(try fixture.sends("editors").isEmpty)
    }

    @Test func aHeldEditionWaitsForReleaseAndTheEditorsAreTold() throws {
        let fixture = try EditionFixture()
        let desk = try fixture.desk()
        try fixture.item("Vertaistukiryhmien koulutus", date: "2027-01-14")
        // Held before its preview: the preview still comes, saying so.
        let held = try desk.hold(now: EditionFixture.saturday)
        #expect(held.status == .planned && held.scheduledFor == EditionFixture.sendTime)
        try desk.runDuePass(now: EditionFixture.previewTime)
        #expect(try fixture.sends("preview").count == 1)
        try desk.runDuePass(now: EditionFixture.sendTime)
        try desk.runDuePass(now: EditionFixture.sendTime.addingTimeInterval(60))
        #expect(try fixture.sends("newsletter").isEmpty)
        #expect(try fixture.sends("editors").map(\.subject) == ["Pidätetty: Järjestö- ja seurakuntatiedote 5.1.2027"])
        // A hold pauses the newsletter: the next week's slot does not start while this one is held.
        try desk.runDuePass(now: EditionFixture.sendTime.addingTimeInterval(7 * 86_400))
        #expect(try fixture.editions().count == 1)
        try desk.release(now: EditionFixture.sendTime.addingTimeInterval(7 * 86_400 + 60))
        #expect(try fixture.sends("newsletter").count == 1)
        #expect(throws: EditionError.self) { try desk.release(now: EditionFixture.sendTime.addingTimeInterval(8 * 86_400)) }
    }

    @Test func anItemIsNeverInTwoEditionsWhenTwoProcessesRunPassesAtOnce() async throws {
        let fixture = try EditionFixture()
        for number in 1...12 { try fixture.item("Tapahtuma \(number)", date: String(format: "2027-01-%02d", number + 6)) }
        let configuration = fixture.configuration
        let path = fixture.store.path
        // Each "process" opens its own connection pool to the same file.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    let store = try Store(path: path)
                    let desk = try EditionDesk(
                        configuration: configuration, store: store,
                        logger: .init(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
                    try desk.runDuePass(now: EditionFixture.previewTime)
                    try desk.runDuePass(now: EditionFixture.sendTime)
                    _ = try? desk.sendNow(now: EditionFixture.sendTime)
                }
            }
            try await group.waitForAll()
        }
        let newsletters = try fixture.sends("newsletter")
        #expect(newsletters.count == 1)
        #expect(try fixture.sends("preview").count == 1)
        let items = try fixture.store.items(ofEdition: try #require(try fixture.editions().first?.id))
        #expect(items.count == 12)
        #expect(try fixture.store.waitingItems().isEmpty)
    }

    @Test func sendNowQueuesTheWaitingItemsAndTheyAreNotSentAgain() throws {
        let fixture = try EditionFixture()
        let desk = try fixture.desk()
        #expect(throws: EditionError.self) { try desk.sendNow(now: EditionFixture.saturday) }
        try fixture.item("Pikainen tiedote", section: "ajankohtaista")
        let queued = try desk.sendNow(now: EditionFixture.saturday)
        #expect(queued.messages == EditionFixture.members.count)
        try desk.runDuePass(now: EditionFixture.previewTime)
        try desk.runDuePass(now: EditionFixture.sendTime)
        #expect(try fixture.sends("newsletter").count == 1)
        #expect(try fixture.editions().map(\.status) == [.sent, .empty])
    }
}

extension EditionScheduleTests {
    @Test func unsubscribedAndUndeliverableMembersGetNoEditionAndNobodyGetsTwo() throws {
        let fixture = try EditionFixture()
        try fixture.store.unsubscribe(email: "asa.lindqvist@example.fi", scope: .notices, source: "token", at: EditionFixture.saturday)
        try fixture.store.markUndeliverable(emailKey: "heidi.lotjonen@example.fi", answer: "550 5.1.1 User unknown", at: EditionFixture.saturday)
        try fixture.item("Avustushaku 2027 on auki", section: "avustukset")
        let queued = try fixture.desk().sendNow(now: EditionFixture.saturday)
        // Pia is on two of the recipient networks and gets one copy.
        #expect(queued.messages == 1)
        #expect(try fixture.sends("newsletter").first?.recipients == ["pia.kangas@example.fi"])
    }
}
