import Foundation
import GRDB
import TestSupport
import Testing
@testable import TiedotinCore

/// The drop folder as submitters use it: ordinary items are accepted and recorded, everything
/// else is rejected with a reason they can act on, and nothing is lost, overwritten or taken twice.
@Suite struct DropFolderIntakeTests {
    @Test func theExampleItemsAreAcceptedAndRecorded() throws {
        let fixture = try IntakeFixture()
        let example = try String(contentsOfFile: Repository.path("Config/items/vapaaehtoisten-perehdytys.md"), encoding: .utf8)
        try fixture.drop(example, as: "perehdytys.md")
        let report = try fixture.runSettledPass()
        #expect(report.accepted == ["perehdytys.md"])
        #expect(fixture.names(in: fixture.incoming).isEmpty)
        #expect(try Data(contentsOf: URL(fileURLWithPath: fixture.accepted + "/perehdytys.md")) == Data(example.utf8))
        let item = try #require(try fixture.items().first)
        #expect(item.title == "Vapaaehtoistoiminnan perehdytys")
        #expect(item.organisation == "Oulun ensi- ja turvakoti ry")
        #expect(item.contact == "Pia Kangas <pia.kangas@example.fi>")
        #expect(item.section == "vapaaehtoiset")
        #expect(item.eventDate == "2027-01-20")
        #expect(item.link == "https://example.fi/ilmoittaudu")
        #expect(item.fileName == "perehdytys.md")
        #expect(item.originalName == "perehdytys.md")
        #expect(item.body.hasPrefix("Tervetuloa perehdytykseen, jos haluat"))
        #expect(item.contentHash?.count == 64)
    }

    @Test func aByteOrderMarkAndWindowsLineEndingsAreFine() throws {
        let fixture = try IntakeFixture()
        let windows = IntakeFixture.item(extra: ["date: 2027-01-20"]).replacingOccurrences(of: "\n", with: "\r\n")
        try fixture.drop([0xEF, 0xBB, 0xBF] + Array(windows.utf8), as: "muistio.md")
        #expect(try fixture.runSettledPass().accepted == ["muistio.md"])
        let item = try #require(try fixture.items().first)
        #expect(item.title == "Vapaaehtoistoiminnan perehdytys")
        #expect(item.eventDate == "2027-01-20")
        #expect(!item.body.contains("\r"))
    }

    @Test func hiddenAndTemporaryNamesAreLeftAlone() throws {
        let fixture = try IntakeFixture()
        let names = [".perehdytys.md.swp", "perehdytys.md.tmp", "perehdytys.md.part", "~perehdytys.md"]
        for name in names { try fixture.drop(IntakeFixture.item(), as: name) }
        let report = try fixture.runSettledPass()
        #expect(report == IntakeReport())
        #expect(fixture.names(in: fixture.incoming) == names.sorted())
    }

    @Test func aFileStillBeingWrittenWaitsUntilItHasSettled() throws {
        let fixture = try IntakeFixture(settle: "30s")
        try fixture.drop(IntakeFixture.item(), as: "perehdytys.md")
        let early = try fixture.intake.runPass(now: fixture.clock.now)
        #expect(early.unsettled == 1)
        #expect(early.accepted.isEmpty)
        let settlesAt = try #require(early.nextSettle)
        #expect(settlesAt > fixture.clock.now)
        #expect(fixture.names(in: fixture.incoming) == ["perehdytys.md"])
        let later = try fixture.intake.runPass(now: settlesAt)
        #expect(later.accepted == ["perehdytys.md"])
        #expect(later.unsettled == 0)
    }

    /// Every way an item can be wrong: the file lands in `rejected/`, and its error file names
    /// the line (counted from the first `---`) and the fix, in Finnish.
    @Test(arguments: [
        ("ei-tietolohkoa.md", "Tervetuloa perehdytykseen!\n", 1, "ensimmäisen rivin pitää olla ---"),
        ("ei-loppua.md", "---\ntitle: Perehdytys\norganisation: Oulun ensi- ja turvakoti ry\n\nTervetuloa!\n", 1, "---‑riviä ei löydy"),
        ("rikki.md", "---\ntitle: Perehdytys\norganisation: \"Oulun ensi\n: turvakoti\nsection: [koulutukset\n---\nTervetuloa!\n", 0, "tietolohkoa ei voi lukea"),
        ("ei-otsikkoa.md", IntakeFixture.item(title: nil), 1, "pakollinen tieto title puuttuu"),
        ("ei-jarjestoa.md", IntakeFixture.item(organisation: nil), 1, "pakollinen tieto organisation puuttuu"),
        ("ei-osiota.md", IntakeFixture.item(section: nil), 1, "pakollinen tieto section puuttuu"),
        ("tyhja-otsikko.md", IntakeFixture.item(title: "\"\""), 2, "tiedon title arvo on tyhjä"),
        ("vaara-osio.md", IntakeFixture.item(section: "urheilu"), 5,
         "valitse jokin näistä: ajankohtaista (Ajankohtaista Pohteelta), koulutukset (Koulutukset ja tapahtumat), vapaaehtoiset"),
        ("paiva.md", IntakeFixture.item(extra: ["date: 20.1.2027"]), 6, "date: 20.1.2027 ei ole päivämäärä"),
        ("helmikuu.md", IntakeFixture.item(extra: ["link: https://example.fi", "date: 2027-02-30"]), 7, "2027-02-30 ei ole päivämäärä"),
        ("vanhentunut.md", IntakeFixture.item(extra: ["publish_until: 2020-01-01"]), 6, "publish_until 2020-01-01 on jo mennyt"),
        ("huono-publish.md", IntakeFixture.item(extra: ["publish_until: pian"]), 6, "publish_until: pian ei ole päivämäärä"),
        ("skripti.md", IntakeFixture.item(extra: ["link: javascript:alert(1)"]), 6, "vain http-, https- ja mailto-linkit"),
        ("tiedosto.md", IntakeFixture.item(extra: ["link: file:///etc/passwd"]), 6, "vain http-, https- ja mailto-linkit"),
        ("kirjoitusvirhe.md", IntakeFixture.item(extra: ["organization: Oulun ensi- ja turvakoti ry"]), 6, "tarkoititko organisation?"),
        ("lista.md", "---\n- title\n- section\n---\nTervetuloa!\n", 2, "rivejä muodossa nimi: arvo"),
    ] as [(String, String, Int, String)])
    func aBadItemIsRejectedWithTheLineAndTheFix(name: String, text: String, line: Int, phrase: String) throws {
        let fixture = try IntakeFixture()
        try fixture.drop(text, as: name)
        let report = try fixture.runSettledPass()
        #expect(report.rejected == [name])
        #expect(fixture.names(in: fixture.rejected) == [name, name + ".error.txt"])
        #expect(fixture.names(in: fixture.incoming).isEmpty)
        #expect(try fixture.items().isEmpty)
        let error = try fixture.errorText(name)
        #expect(error.hasPrefix("Tiedotetta \(name) ei otettu vastaan."))
        #expect(error.contains(phrase), "\(error)")
        #expect(error.contains("Korjaus: "))
        if line > 0 {
            #expect(error.contains("Rivi \(line): "), "\(error)")
        } else {
            #expect(error.contains(#/Rivi [3-6]: /#), "\(error)")
        }
        // The original is kept as it was sent.
        #expect(try Data(contentsOf: URL(fileURLWithPath: fixture.rejected + "/" + name)) == Data(text.utf8))
    }

    @Test func everyProblemOfTheFrontMatterIsListedAtOnce() throws {
        let fixture = try IntakeFixture()
        try fixture.drop(IntakeFixture.item(title: nil, section: "urheilu", extra: ["link: ftp://example.fi"]), as: "monta.md")
        try fixture.runSettledPass()
        let error = try fixture.errorText("monta.md")
        #expect(error.contains("Rivi 1: pakollinen tieto title puuttuu"))
        #expect(error.contains("Rivi 4: osiota urheilu ei ole uutiskirjeessä"))
        #expect(error.contains("Rivi 5: linkki ftp://example.fi ei ole kelvollinen"))
    }

    @Test func bytesThatAreNotUTF8AreRejectedWithTheirLine() throws {
        let fixture = try IntakeFixture()
        let latin1 = Array(IntakeFixture.item().utf8) + Array("Lisätietoja: ".utf8) + [0xE4, 0x0A]
        try fixture.drop(latin1, as: "latin1.md")
        try fixture.runSettledPass()
        let error = try fixture.errorText("latin1.md")
        #expect(error.contains("Rivi 8: rivillä on merkkejä, jotka eivät ole UTF-8-muodossa."))
        #expect(error.contains("UTF-8"))
    }

    @Test func aFileOverTheSizeLimitIsRejectedUnread() throws {
        let fixture = try IntakeFixture(maxItemSize: "1KiB")
        try fixture.drop(IntakeFixture.item(body: String(repeating: "Tervetuloa! ", count: 200)), as: "pitka.md")
        try fixture.drop(IntakeFixture.item(), as: "lyhyt.md")
        let report = try fixture.runSettledPass()
        #expect(report.accepted == ["lyhyt.md"])
        #expect(report.rejected == ["pitka.md"])
        #expect(try fixture.errorText("pitka.md").contains("enintään 1024"))
    }

    @Test func linksPipesFoldersAndBadNamesAreRejected() throws {
        let fixture = try IntakeFixture()
        try fixture.folder.write("salainen", to: "secret.txt")
        try FileManager.default.createSymbolicLink(atPath: fixture.incoming + "/linkki.md", withDestinationPath: fixture.folder.appending("secret.txt"))
        #expect(mkfifo(fixture.incoming + "/putki.md", 0o644) == 0)
        try FileManager.default.createDirectory(atPath: fixture.incoming + "/kansio", withIntermediateDirectories: false)
        // A name in Latin-1: not UTF-8, so it cannot be stored or shown as it is.
        let latin1Name = Array(fixture.incoming.utf8) + Array("/p".utf8) + [0xE4, 0xE4] + Array(".md".utf8)
        let descriptor = (latin1Name + [0]).withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { open($0, O_WRONLY | O_CREAT, 0o644) }
        }
        #expect(descriptor >= 0)
        _ = Array(IntakeFixture.item().utf8).withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)

        let report = try fixture.runSettledPass()
        #expect(report.accepted.isEmpty)
        #expect(report.rejected.count == 4)
        #expect(fixture.names(in: fixture.incoming).isEmpty)
        #expect(try fixture.errorText("linkki.md").contains("symbolinen linkki"))
        #expect(try fixture.errorText("putki.md").contains("ei ole tavallinen tiedosto"))
        #expect(try fixture.errorText("kansio").contains("ei ole tavallinen tiedosto"))
        // The link itself moved, its target is untouched and unread.
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: fixture.rejected + "/linkki.md") == fixture.folder.appending("secret.txt"))
        let errorFiles = try FileManager.default.contentsOfDirectory(atPath: fixture.rejected).filter { $0.hasSuffix(".error.txt") }
        #expect(errorFiles.count == 4)
        let errorPath = Array(fixture.rejected.utf8) + Array("/p".utf8) + [0xE4, 0xE4] + Array(".md.error.txt".utf8)
        let errorDescriptor = (errorPath + [0]).withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { open($0, O_RDONLY) }
        }
        #expect(errorDescriptor >= 0)
        let errorText = FileHandle(fileDescriptor: errorDescriptor, closeOnDealloc: true).readDataToEndOfFile()
        #expect(String(decoding: errorText, as: UTF8.self).contains("nimi ei ole UTF-8"))
        #expect(try fixture.items().isEmpty)
    }

    @Test func theSameItemSentAgainIsRejectedNamingTheFirst() throws {
        let fixture = try IntakeFixture()
        try fixture.drop(IntakeFixture.item(), as: "perehdytys.md")
        try fixture.runSettledPass()
        // Saved again by another editor: CRLF and a byte-order mark do not make it new.
        let again = [0xEF, 0xBB, 0xBF] + Array(IntakeFixture.item().replacingOccurrences(of: "\n", with: "\r\n").utf8)
        try fixture.drop(again, as: "perehdytys-uudelleen.md")
        let report = try fixture.runSettledPass()
        #expect(report.rejected == ["perehdytys-uudelleen.md"])
        #expect(try fixture.errorText("perehdytys-uudelleen.md").contains("sama tiedote on jo vastaanotettu nimellä perehdytys.md"))
        #expect(try fixture.items().count == 1)
    }

    @Test func aTakenNameGetsANumberAndNothingIsOverwritten() throws {
        let fixture = try IntakeFixture()
        for round in 1...3 {
            try fixture.drop(IntakeFixture.item(body: "Kierros \(round)"), as: "tiedote.md")
            try fixture.drop("ei tietolohkoa \(round)\n", as: "tiedote.md.txt")
            try fixture.drop("ei tietolohkoa \(round)\n", as: "LUEMINUT")
            try fixture.runSettledPass()
        }
        #expect(fixture.names(in: fixture.accepted) == ["tiedote-2.md", "tiedote-3.md", "tiedote.md"])
        #expect(fixture.names(in: fixture.rejected) == [
            "LUEMINUT", "LUEMINUT-2", "LUEMINUT-2.error.txt", "LUEMINUT-3", "LUEMINUT-3.error.txt", "LUEMINUT.error.txt",
            "tiedote.md-2.txt", "tiedote.md-2.txt.error.txt", "tiedote.md-3.txt", "tiedote.md-3.txt.error.txt",
            "tiedote.md.txt", "tiedote.md.txt.error.txt",
        ])
        for round in 1...3 {
            let name = round == 1 ? "tiedote.md" : "tiedote-\(round).md"
            #expect(try String(contentsOfFile: fixture.accepted + "/" + name, encoding: .utf8).contains("Kierros \(round)"))
        }
        #expect(try fixture.items().map(\.fileName) == ["tiedote.md", "tiedote-2.md", "tiedote-3.md"])
        #expect(try fixture.items().map(\.originalName) == ["tiedote.md", "tiedote.md", "tiedote.md"])
    }

    @Test func aVeryLongNameStillGetsItsNumberAndErrorFile() throws {
        let fixture = try IntakeFixture()
        let long = String(repeating: "ä", count: 124) + ".md"  // 251 bytes
        for _ in 1...2 { try fixture.drop("ei tietolohkoa \(UUID())\n", as: long); try fixture.runSettledPass() }
        let names = fixture.names(in: fixture.rejected)
        #expect(names.count == 4)
        #expect(names.allSatisfy { $0.utf8.count <= 255 })
        #expect(names.filter { $0.hasSuffix(".error.txt") }.count == 2)
    }

    @Test func swedishSubmittersReadSwedish() throws {
        let fixture = try IntakeFixture(language: "sv")
        try fixture.drop(IntakeFixture.item(section: "idrott"), as: "introduktion.md")
        try fixture.runSettledPass()
        let error = try fixture.errorText("introduktion.md")
        #expect(error.hasPrefix("Meddelandet introduktion.md togs inte emot."))
        #expect(error.contains("Rad 5: avsnittet idrott finns inte i nyhetsbrevet."))
        #expect(error.contains("Så här rättar du: välj något av dessa: ajankohtaista"))
    }

    /// A crash after the item was recorded and before its file moved: the next pass finishes the
    /// move under the recorded name; the item is neither lost nor recorded twice.
    @Test func aPassInterruptedBetweenRecordAndMoveIsFinishedNextTime() throws {
        let fixture = try IntakeFixture()
        let text = IntakeFixture.item()
        try fixture.drop(text, as: "perehdytys.md")
        let hash = SHA256.hex(Array(text.utf8))
        _ = try fixture.store.recordAcceptedItem(NewsletterItem(
            fileName: "perehdytys.md", originalName: "perehdytys.md", title: "Vapaaehtoistoiminnan perehdytys",
            organisation: "Oulun ensi- ja turvakoti ry", contact: nil, section: "vapaaehtoiset", eventDate: nil, link: nil,
            publishUntil: nil, body: "Tervetuloa perehdytykseen!", contentHash: hash, acceptedAt: Date()))
        let report = try fixture.runSettledPass()
        #expect(report.accepted == ["perehdytys.md"])
        #expect(report.rejected.isEmpty)
        #expect(fixture.names(in: fixture.accepted) == ["perehdytys.md"])
        #expect(try fixture.items().count == 1)
    }

    @Test func twoPassesAtOnceTakeEachFileExactlyOnce() async throws {
        let fixture = try IntakeFixture()
        for number in 1...40 {
            try fixture.drop(IntakeFixture.item(body: "Tiedote \(number)"), as: "tiedote-\(number).md")
        }
        fixture.clock.advance(by: 10)
        let now = fixture.clock.now
        let intake = fixture.intake
        async let first = Task.detached { try intake.runPass(now: now) }.value
        async let second = Task.detached { try intake.runPass(now: now) }.value
        let reports = try await [first, second]
        #expect(reports.map(\.accepted.count).reduce(0, +) == 40)
        #expect(reports.map(\.rejected.count).reduce(0, +) == 0)
        #expect(fixture.names(in: fixture.accepted).count == 40)
        #expect(try fixture.items().count == 40)
    }

    @Test func theSubmitterIsToldByMailWhenAcknowledgementIsOn() throws {
        let fixture = try IntakeFixture(acknowledge: true)
        try fixture.drop(IntakeFixture.item(), as: "perehdytys.md")
        try fixture.drop(IntakeFixture.item(title: "Toinen", section: "urheilu"), as: "toinen.md")
        try fixture.runSettledPass()
        let rows = try fixture.store.read { db in
            try Row.fetchAll(db, sql: """
                SELECT outbox.recipient, outbox_body.subject, outbox_body.content, outbox_body.kind
                FROM outbox JOIN outbox_body ON outbox_body.id = outbox.body_id ORDER BY outbox.id
                """)
        }
        #expect(rows.count == 2)
        #expect(rows.allSatisfy { ($0["recipient"] as String) == "pia.kangas@example.fi" && ($0["kind"] as String) == "acknowledgement" })
        #expect((rows[0]["subject"] as String) == "Tiedote vastaanotettu: Vapaaehtoistoiminnan perehdytys")
        #expect((rows[1]["subject"] as String) == "Tiedotetta ei voitu ottaa vastaan: toinen.md")
        let rejection = MessageText.decode(rows[1]["content"] as Data)
        #expect(rejection.contains("osiota urheilu ei ole uutiskirjeessä"), "\(rejection)")
        let acceptance = MessageText.decode(rows[0]["content"] as Data)
        #expect(acceptance.contains("julkaistaan"), "\(acceptance)")
    }

    @Test func aHardLinkIsRejectedAndItsOtherNameUntouched() throws {
        let fixture = try IntakeFixture()
        let elsewhere = try fixture.folder.write(IntakeFixture.item(), to: "muualla.md")
        try FileManager.default.linkItem(atPath: elsewhere, toPath: fixture.incoming + "/linkki.md")
        let report = try fixture.runSettledPass()
        #expect(report.rejected == ["linkki.md"])
        #expect(try fixture.errorText("linkki.md").contains("kova linkki"))
        #expect(FileManager.default.fileExists(atPath: elsewhere))
        #expect(try fixture.items().isEmpty)
    }

    /// A pass that stopped after writing an error file and before moving its item leaves the
    /// error file alone in `rejected/`; the next attempt takes that name and writes it afresh.
    @Test func anErrorFileLeftByAnInterruptedPassIsReplaced() throws {
        let fixture = try IntakeFixture()
        try FileManager.default.createDirectory(atPath: fixture.rejected, withIntermediateDirectories: true)
        try "vanha\n".write(toFile: fixture.rejected + "/osio.md.error.txt", atomically: false, encoding: .utf8)
        try fixture.drop(IntakeFixture.item(section: "urheilu"), as: "osio.md")
        try fixture.runSettledPass()
        #expect(fixture.names(in: fixture.rejected) == ["osio.md", "osio.md.error.txt"])
        #expect(try fixture.errorText("osio.md").contains("osiota urheilu"))
    }

    @Test func aFrontMatterKeyThatIsNotTextIsReportedNotPrinted() throws {
        let fixture = try IntakeFixture()
        try fixture.drop("---\ntitle: x\n? [a, b]\n: c\n---\n", as: "avain.md")
        try fixture.runSettledPass()
        #expect(try fixture.errorText("avain.md").contains("Rivi 3: tietolohkossa pitää olla rivejä muodossa nimi: arvo."))
    }
}
