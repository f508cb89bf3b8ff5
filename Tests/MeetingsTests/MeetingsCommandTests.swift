import Foundation
import TestSupport
import Testing
@testable import TiedotinCore

/// `serve --once` and `meetings list` through the built binary, on the real clock.
@Suite struct MeetingsCommandTests {
    /// A meeting ten days from now at 13:00 Helsinki time, so invite_lead 21d puts it due at once.
    static func soon(days: Int) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Helsinki")!
        let day = calendar.dateComponents([.year, .month, .day], from: Date().addingTimeInterval(Double(days) * 86_400))
        return String(format: "%04d-%02d-%02dT13:00", day.year!, day.month!, day.day!)
    }

    @Test func serveOnceInvitesAndMeetingsListShowsItAsDesignSays() throws {
        let start = Self.soon(days: 10)
        let forum = """
                duration: 2h
                invite_lead: 21d
                meetings:
                  - id: jyry-soon
                    start: \(start)
                  - id: jyry-later
                    start: \(Self.soon(days: 60))
                  - id: jyry-off
                    start: \(Self.soon(days: 12))
                    cancelled: true
            """
        let fixture = try MeetingsFixture(forum: forum, now: "2026-12-01T10:00")
        let config = fixture.configuration.file
        let before = try TiedotinBinary.run(["meetings", "list", "--json", "--config", config])
        #expect(before.status == 0, "\(before.errors)")
        let planned = try JSONSerialization.jsonObject(with: Data(before.output.utf8)) as! [[String: Any]]
        #expect(planned.map { $0["status"] as? String } == ["planned", "cancelled", "planned"])

        let serve = try TiedotinBinary.run(["serve", "--once", "--config", config])
        #expect(serve.status == 0, "\(serve.errors)")
        let maildir = fixture.folder.appending("maildir/new")
        let files = try FileManager.default.contentsOfDirectory(atPath: maildir)
        #expect(files.count == 3)
        let first = try MeetingMessage(Array(Data(contentsOf: URL(fileURLWithPath: maildir + "/" + files[0]))), onTheWire: false)
        #expect(first.subject.hasPrefix("Kutsu: Järjestöyhteistyöryhmä JYRY "))
        #expect(first.event.uid == "jyry-soon@pohde.example.fi")

        #expect(try TiedotinBinary.run(["serve", "--once", "--config", config]).status == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: maildir).count == 3, "a second pass sends nothing twice")

        let after = try TiedotinBinary.run(["meetings", "list", "--json", "--config", config])
        let listed = try JSONSerialization.jsonObject(with: Data(after.output.utf8)) as! [[String: Any]]
        let soon = try #require(listed.first { $0["id"] as? String == "jyry-soon" })
        #expect(soon["forum"] as? String == "jyry")
        #expect(soon["uid"] as? String == "jyry-soon@pohde.example.fi")
        #expect(soon["status"] as? String == "invited")
        #expect(soon["invited"] as? Int == 3 && soon["reminded"] as? Int == 0 && soon["sequence"] as? Int == 0)
        #expect((soon["start"] as? String)?.hasPrefix(start + ":00+02:00") == true)
        #expect(listed.first { $0["id"] as? String == "jyry-later" }?["status"] as? String == "planned")
        #expect(Set(listed.flatMap { $0.keys }).isSuperset(of: [
            "forum", "id", "uid", "start", "end", "sequence", "status", "invited", "reminded", "updated", "cancelled",
        ]))

        let table = try TiedotinBinary.run(["meetings", "list", "--config", config])
        #expect(table.output.contains("jyry-soon") && table.output.contains("invited"))

        let upcoming = try MeetingListing.upcoming(
            configuration: fixture.configuration, store: fixture.store, from: Date(), to: Date().addingTimeInterval(90 * 86_400))
        #expect(upcoming.map(\.id) == ["jyry-soon", "jyry-later"])
    }
}
