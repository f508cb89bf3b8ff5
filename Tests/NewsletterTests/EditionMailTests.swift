import Foundation
import Synchronization
import Testing
import TestSupport
@testable import TiedotinCore

/// A sent edition as readers get it: through a real SMTP server on 127.0.0.1, one message per
/// subscribed member with their own unsubscribe token, and nothing active in the HTML.
@Suite struct EditionMailTests {
    /// Item bodies a careless or hostile submitter might send.
    static let hostileBodies = [
        "Kuva: <img src=x onerror=alert(1)> ja loput tekstistä [ilmoittaudu](https://example.fi/ilmoittaudu).",
        "<script>alert('x')</script>\n\n[Klikkaa](javascript:alert(1)) tai <a href=\"javascript:alert(2)\" onclick=\"x()\">tästä</a>",
        "<iframe src=\"https://evil.example\"></iframe><form action=\"https://evil.example\"><input name=p></form>",
        "<div onmouseover=\"steal()\">Vie hiiri tähän</div> <svg onload=alert(1)>",
    ]

    /// What would run or submit anything in a mail client or browser.
    static func activeContent(in html: String) -> [String] {
        let lowered = html.lowercased()
        var found: [String] = []
        for tag in ["<script", "<iframe", "<form", "<object", "<embed", "<svg", "<input", "<img"] where lowered.contains(tag) {
            found.append(tag)
        }
        if let match = lowered.firstMatch(of: /=\s*["']?\s*javascript:/) { found.append(String(match.0)) }
        if let match = lowered.firstMatch(of: /<[a-z][^>]*\son[a-z]+\s*=/) { found.append(String(match.0)) }
        return found
    }

    @Test func aRealSMTPServerReceivesOneWellFormedEditionPerSubscribedMember() async throws {
        let server = try await SMTPTestServer.start()
        defer { Task { await server.stop() } }
        let fixture = try EditionFixture(mail: server.mailConfig)
        try fixture.item("Vapaaehtoistoiminnan perehdytys", date: "2027-01-14", body: """
            Tervetuloa perehdytykseen! Käymme läpi vapaaehtoisen roolin, vaitiolovelvollisuuden ja sen, miten \
            toimintaan pääsee mukaan. Lisätietoja saa [järjestön sivuilta](https://example.fi/vapaaehtoiseksi).
            """, link: "https://example.fi/ilmoittaudu")
        for (number, body) in Self.hostileBodies.enumerated() {
            try fixture.item("Ilmoitus \(number + 1)", section: "ajankohtaista", body: body)
        }
        try fixture.store.unsubscribe(email: "heidi.lotjonen@example.fi", scope: .notices, source: "admin", at: EditionFixture.saturday)
        let desk = try fixture.desk()
        try desk.runDuePass(now: EditionFixture.previewTime)
        try desk.runDuePass(now: EditionFixture.sendTime)
        _ = try await fixture.engine(clock: ManualClock(EditionFixture.sendTime)).deliverDue()

        let newsletters = try server.messages().filter { $0.data.contains(bytes: Array("List-Id:".utf8)) }
        #expect(newsletters.map(\.recipients).flatMap { $0 }.sorted() == ["asa.lindqvist@example.fi", "pia.kangas@example.fi"])
        for captured in newsletters {
            let recipient = try #require(captured.recipients.first)
            let token = try fixture.store.token(for: recipient)
            let message = try MessageInspector.inspect(captured.data)
            #expect(message.defects.isEmpty)
            #expect(message.structure == "multipart/alternative(text/plain,text/html)")
            #expect(message.mailboxes(of: "To").map(\.addrSpec) == [recipient])
            #expect(message.value(of: "Subject") == "Järjestö- ja seurakuntatiedote 5.1.2027")
            #expect(message.value(of: "List-Id") == "Järjestö- ja seurakuntatiedote <uutiskirje.pohde.example.fi>")
            #expect(message.value(of: "List-Unsubscribe") == "<mailto:unsubscribe@pohde.example.fi?subject=unsubscribe%20\(token)>, "
                + "<https://pohde.example.fi/tiedotin/unsubscribe?token=\(token)>")
            #expect(message.value(of: "List-Unsubscribe-Post") == "List-Unsubscribe=One-Click")
            #expect(message.maxLineOctets <= 998)
            let text = try #require(message.parts.first?.text)
            let html = try #require(message.parts.last?.text)
            // The footer's personal link carries this reader's token, and no marker is left.
            #expect(text.contains("https://pohde.example.fi/tiedotin/unsubscribe?token=\(token)"))
            #expect(html.contains("href=\"https://pohde.example.fi/tiedotin/unsubscribe?token=\(token)\""))
            #expect(!text.contains(EditionRenderer.tokenMarker) && !html.contains(EditionRenderer.tokenMarker))
            // Nothing active survives, and the text after the unclosed tag is still there with its link.
            #expect(Self.activeContent(in: html) == [])
            #expect(html.contains("ja loput tekstistä"))
            #expect(html.contains("href=\"https://example.fi/ilmoittaudu\""))
            // The text part says what the HTML says, wrapped at 72 columns, links listed at the end.
            #expect(text.contains("Vapaaehtoistoiminnan perehdytys"))
            #expect(text.contains("https://example.fi/vapaaehtoiseksi"))
            for line in text.components(separatedBy: "\r\n") where line.contains(" ") {
                #expect(line.count <= 72, "\(line)")
            }
            #expect(text.contains("Linkit:"))
        }
        // The archive page is the same edition without anyone's link, listed in the index.
        let page = try String(contentsOfFile: fixture.configuration.paths.archive + "/2027-01-05.html", encoding: .utf8)
        #expect(page.contains("Vapaaehtoistoiminnan perehdytys"))
        #expect(!page.contains("token="))
        #expect(Self.activeContent(in: page) == [])
        let index = try String(contentsOfFile: fixture.configuration.paths.archive + "/index.html", encoding: .utf8)
        #expect(index.contains("href=\"2027-01-05.html\""))
    }

    @Test func theEditionIsGroupedBySectionsInConfigOrderAndSortedByDateThenTitle() throws {
        let fixture = try EditionFixture()
        try fixture.item("Öljyvärikurssi", date: "2027-01-20")
        try fixture.item("Askartelupäivä", date: "2027-01-20")
        try fixture.item("Ensiapukurssi", date: "2027-01-08")
        try fixture.item("Ilman päivää")
        try fixture.item("Avustushaku", section: "avustukset")
        try fixture.item("Pohteen tervehdys", section: "ajankohtaista")
        try fixture.item("Vanhentunut", publishUntil: "2027-01-04")
        try fixture.item("Viimeistä päivää", publishUntil: "2027-01-05")
        let desk = try fixture.desk(meetings: { _ in
            [UpcomingMeeting(forum: "Järjestöyhteistyöryhmä JYRY", start: EditionFixture.helsinkiTime(2027, 2, 10, 13), location: "Oulu, Kehräämö")]
        })
        try desk.runDuePass(now: EditionFixture.previewTime)
        let text = try #require(try fixture.editions().first?.text)
        let order = ["Ajankohtaista Pohteelta", "Pohteen tervehdys", "Koulutukset ja tapahtumat", "Ensiapukurssi",
                     "Askartelupäivä", "Öljyvärikurssi", "Ilman päivää", "Viimeistä päivää", "Avustukset ja rahoitus", "Avustushaku",
                     "Tulevat kokoukset", "Järjestöyhteistyöryhmä JYRY"]
        let positions = order.map { text.range(of: $0)?.lowerBound }
        #expect(!positions.contains(nil), "\(text)")
        #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted())
        #expect(!text.contains("Vanhentunut"))
        #expect(text.contains("keskiviikkona 10.2.2027 klo 13.00"))
        #expect(text.contains("Järjestö- ja seurakuntatiedote – tiistaina 5.1.2027"))
        #expect(text.contains("Ilman päivää\nOulun ensi- ja turvakoti ry\n"))
        // The stale item waits for nothing: it stays out of every edition.
        #expect(try fixture.store.waitingItems().map(\.title) == ["Vanhentunut"])
    }

    @Test func upcomingMeetingsAreThoseAfterTheSendTimeNotThePreview() throws {
        let fixture = try EditionFixture()
        try fixture.item("Ensiapukurssi", date: "2027-01-08")
        let asked = Mutex<[Date]>([])
        // A meeting between the preview and the send time is over when readers get the edition.
        let desk = try fixture.desk(meetings: { after in
            asked.withLock { $0.append(after) }
            return []
        })
        try desk.runDuePass(now: EditionFixture.previewTime)
        #expect(asked.withLock { $0 } == [EditionFixture.sendTime])
    }

    @Test func swedishEditionsWriteDatesInSwedish() throws {
        let fixture = try EditionFixture(language: "sv")
        try fixture.item("Frivilligutbildning", date: "2027-01-14")
        let preview = try fixture.desk().preview(now: EditionFixture.saturday)
        #expect(preview.text.contains("torsdag 14.1.2027"))
        #expect(preview.text.contains("tisdag 5.1.2027"))
        #expect(preview.html.contains("lang=\"sv\""))
        #expect(preview.text.contains("Avsluta prenumerationen") || preview.text.contains("Vill du inte längre"))
    }

    @Test func thePostHeaderIsOnlyForAnHTTPSURL() throws {
        let development = try EditionFixture(newsletter: "").configuration
        var loopback = development
        loopback.newsletter.unsubscribe.url = URL(string: "http://127.0.0.1:8088/unsubscribe")
        let fields = ListHeaders(configuration: loopback).personalFields(token: "abc")
        #expect(fields.map(\.name) == ["List-Unsubscribe"])
        #expect(ListHeaders(configuration: development).personalFields(token: "abc").map(\.name)
            == ["List-Unsubscribe", "List-Unsubscribe-Post"])
    }

    @Test func checkConfigRefusesAPlainHTTPUnsubscribeURLExceptOnLoopback() throws {
        let folder = TemporaryFolder("editions-config")
        func config(_ url: String) throws -> String {
            try folder.write("""
                organisation:
                  name: Pohjois-Pohjanmaan hyvinvointialue
                paths:
                  database: tiedotin.sqlite
                  drop_folder: drop
                mail:
                  from: jarjestotyo@pohde.example.fi
                  transport: maildir
                networks:
                  - id: jyry
                    name: Järjestöyhteistyöryhmä JYRY
                newsletter:
                  unsubscribe:
                    url: \(url)

                """, to: "tiedotin.yaml")
        }
        let file = try config("http://pohde.example.fi/unsubscribe")
        #expect {
            _ = try ConfigurationLoader.load(path: file, checkingFileSystem: false)
        } throws: { error in
            "\(error)".contains("tiedotin.yaml:14:10:") && "\(error)".contains("https://")
        }
        _ = try ConfigurationLoader.load(path: try config("http://127.0.0.1:8088/unsubscribe"), checkingFileSystem: false)
        _ = try ConfigurationLoader.load(path: try config("http://localhost:8088/unsubscribe"), checkingFileSystem: false)
    }

    @Test func theTokenMarkerIsAsLongAsATokenAndSurvivesQuotedPrintable() throws {
        #expect(EditionRenderer.tokenMarker.count == SubscriberToken.length)
        let line = String(repeating: "x ", count: 30) + "https://pohde.example.fi/tiedotin/unsubscribe?token=" + EditionRenderer.tokenMarker
        let encoded = String(decoding: QuotedPrintableProbe.encode(line), as: UTF8.self)
        #expect(encoded.contains(EditionRenderer.tokenMarker))
    }
}

import MIME

/// The body encoding the edition's parts use.
enum QuotedPrintableProbe {
    static func encode(_ text: String) -> [UInt8] { QuotedPrintable.encode(text) }
}

extension Array where Element == UInt8 {
    func contains(bytes needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, needle.count <= count else { return needle.isEmpty }
        return (0...(count - needle.count)).contains { Array(self[$0..<($0 + needle.count)]) == needle }
    }
}
