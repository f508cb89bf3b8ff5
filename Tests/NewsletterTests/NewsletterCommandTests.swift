import Foundation
import Testing
import TestSupport
@testable import TiedotinCore

/// The newsletter's commands run through the built binary, as the admin runs them.
@Suite struct NewsletterCommandTests {
    func tiedotin(_ fixture: EditionFixture, _ arguments: String...) throws -> TiedotinBinary.Run {
        try TiedotinBinary.run(arguments + ["--config", fixture.folder.appending("tiedotin.yaml")])
    }

    @Test func unsubscribeWithATokenStopsThatPersonOnlyAndAStrangeTokenIsRefused() throws {
        let fixture = try EditionFixture()
        // Tokens are made when mail is first queued for a person.
        let recipients = try fixture.store.recipients(networks: ["jyry", "ikaihmiset"], purpose: .notice)
        let pia = try #require(recipients.first { $0.emailKey == "pia.kangas@example.fi" })
        #expect(Set(recipients.map(\.token)).count == recipients.count)

        let run = try tiedotin(fixture, "unsubscribe", pia.token)
        #expect(run.status == 0, "\(run.errors)")
        #expect(run.output.contains("pia.kangas@example.fi"))
        let after = try fixture.store.recipients(networks: ["jyry", "ikaihmiset"], purpose: .notice).map(\.emailKey)
        #expect(after == ["asa.lindqvist@example.fi", "heidi.lotjonen@example.fi"])
        // Invitations still come.
        #expect(try fixture.store.recipients(networks: ["jyry"], purpose: .invitation).map(\.emailKey).contains("pia.kangas@example.fi"))
        // The same link again changes nothing and says so.
        let again = try tiedotin(fixture, "unsubscribe", pia.token.uppercased())
        #expect(again.status == 0 && again.output.contains("already"))

        let strange = try tiedotin(fixture, "unsubscribe", "aaaaaaaaaaaaaaaaaaaaaaaaaa")
        #expect(strange.status == 1)
        #expect(strange.errors.contains("no one was given the token"))

        // Removed and added again, the person keeps the token: an old link still works, for them alone.
        let lists = MemberLists(store: fixture.store, networks: ["jyry", "ikaihmiset"])
        _ = try lists.remove(email: "pia.kangas@example.fi")
        _ = try lists.add(email: "pia.kangas@example.fi", networks: ["jyry"], name: "Pia Kangas", organisation: nil, at: Date())
        #expect(try fixture.store.token(for: "pia.kangas@example.fi") == pia.token)
    }

    @Test func previewWritesTheEditionAndSendsNothing() throws {
        let fixture = try EditionFixture()
        try fixture.item("Vapaaehtoistoiminnan perehdytys", date: "2027-01-14", link: "https://example.fi/ilmoittaudu")
        let out = fixture.folder.appending("esikatselu")
        let run = try tiedotin(fixture, "newsletter", "preview", "--out", out)
        #expect(run.status == 0, "\(run.errors)")
        let html = try String(contentsOfFile: out + "/edition.html", encoding: .utf8)
        let text = try String(contentsOfFile: out + "/edition.txt", encoding: .utf8)
        #expect(html.contains("Vapaaehtoistoiminnan perehdytys") && text.contains("Vapaaehtoistoiminnan perehdytys"))
        #expect(!html.contains(EditionRenderer.tokenMarker))
        #expect(try fixture.sends("newsletter").isEmpty && fixture.sends("preview").isEmpty)
        #expect(try fixture.editions().isEmpty)
    }

    @Test func sendNowHoldReleaseAndApproveThroughTheBinary() throws {
        let fixture = try EditionFixture()
        let nothing = try tiedotin(fixture, "newsletter", "send-now")
        #expect(nothing.status == 1)
        #expect(nothing.errors.contains("no accepted item is waiting"))
        let approve = try tiedotin(fixture, "newsletter", "approve")
        #expect(approve.status == 1 && approve.errors.contains("nothing to approve yet"))
        #expect(try tiedotin(fixture, "newsletter", "release").status == 1)

        let hold = try tiedotin(fixture, "newsletter", "hold")
        #expect(hold.status == 0, "\(hold.errors)")
        #expect(try fixture.editions().first?.held == true)
        let status = try tiedotin(fixture, "status", "--json")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(status.output.utf8)) as? [String: Any])
        #expect((json["edition"] as? [String: Any])?["state"] as? String == "held")
        #expect(try tiedotin(fixture, "newsletter", "release").status == 0)
        #expect(try fixture.editions().first?.held == false)

        try fixture.item("Pikainen tiedote", section: "ajankohtaista")
        let sent = try tiedotin(fixture, "newsletter", "send-now", "--wait")
        #expect(sent.status == 0, "\(sent.output) \(sent.errors)")
        #expect(sent.output.contains("queued the edition"))
        let maildir = fixture.configuration.mail.maildir + "/new"
        let files = try FileManager.default.contentsOfDirectory(atPath: maildir)
        #expect(files.count == EditionFixture.members.count)
        #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.configuration.paths.archive).contains("index.html"))
    }

    @Test func checkConfigNamesTheFileAndLineOfABrokenNewsletterTemplate() throws {
        let templates = TemporaryFolder("editions-templates")
        for name in try FileManager.default.contentsOfDirectory(atPath: Repository.root + "/Templates") where name.hasSuffix(".mustache") {
            try FileManager.default.copyItem(atPath: Repository.root + "/Templates/" + name, toPath: templates.appending(name))
        }
        var html = try String(contentsOfFile: templates.appending("newsletter.html.mustache"), encoding: .utf8)
        html = html.replacingOccurrences(of: "{{/sections}}", with: "{{/section}}")
        try templates.write(html, to: "newsletter.html.mustache")
        let fixture = try EditionFixture(templates: templates.path)
        let run = try tiedotin(fixture, "check-config")
        #expect(run.status == 1)
        let line = html.components(separatedBy: "\n").firstIndex { $0.contains("{{/section}}") }.map { $0 + 1 }
        #expect(run.output.contains("newsletter.html.mustache:\(line ?? 0):") || run.errors.contains("newsletter.html.mustache:\(line ?? 0):"),
                "\(run.output) \(run.errors)")
    }
}

extension NewsletterCommandTests {
    @Test func serveOnceMailsTheDuePreviewToTheEditors() throws {
        // A preview lead longer than a week: whatever today is, the next Tuesday's preview is due.
        let fixture = try EditionFixture(newsletter: "")
        let file = fixture.folder.appending("tiedotin.yaml")
        let yaml = try String(contentsOfFile: file, encoding: .utf8).replacingOccurrences(of: "preview_lead: 2d", with: "preview_lead: 8d")
        try Data(yaml.utf8).write(to: URL(fileURLWithPath: file))
        try fixture.item("Järjestöfoorumi Kehräämössä", section: "ajankohtaista")
        let run = try tiedotin(fixture, "serve", "--once")
        #expect(run.status == 0, "\(run.errors)")
        let maildir = fixture.configuration.mail.maildir + "/new"
        let files = try FileManager.default.contentsOfDirectory(atPath: maildir)
        #expect(files.count == 1)
        let message = try MessageInspector.inspect([UInt8](try Data(contentsOf: URL(fileURLWithPath: maildir + "/" + files[0]))))
        #expect(message.defects.isEmpty)
        #expect(message.mailboxes(of: "To").map(\.addrSpec) == [EditionFixture.editor])
        #expect(message.value(of: "Subject")?.hasPrefix("Esikatselu: Järjestö- ja seurakuntatiedote") == true)
        #expect(message.parts.last?.text?.contains("Järjestöfoorumi Kehräämössä") == true)
        // A second pass sends no second preview.
        #expect(try tiedotin(fixture, "serve", "--once").status == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: maildir).count == 1)
        let status = try tiedotin(fixture, "status")
        #expect(status.output.contains("(fixed;"), "\(status.output)")
        #expect(status.output.contains("- Järjestöfoorumi Kehräämössä"))
    }
}
