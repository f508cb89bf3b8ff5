import Foundation
import Testing
import TiedotinCore

/// `members import`: merging people, all or nothing, --skip-invalid, re-imports and --sync.
@Suite struct MemberImportTests {
    static let threePeople = header
        + "pia.kangas@example.fi,Pia Kangas,Oulun ensi- ja turvakoti ry,jyry;lapsiperheet\n"
        + "jussi.maatta@example.fi,Jussi Määttä,Oulun seurakuntayhtymä,seurakunnat;jyry\n"
        + "leena.pohjola@example.fi,Leena Pohjola,Pohjois-Pohjanmaan Muistiyhdistys ry,ikaihmiset\n"

    @Test func importsPeopleOntoTheirNetworks() throws {
        let fixture = try Fixture()
        let report = try fixture.importText(Self.threePeople)
        #expect(report.added == ["pia.kangas@example.fi", "jussi.maatta@example.fi", "leena.pohjola@example.fi"])
        #expect(report.summary == "3 added, 0 changed, 0 unchanged, 0 skipped")
        #expect(try fixture.emails(on: "jyry") == ["jussi.maatta@example.fi", "pia.kangas@example.fi"])
        #expect(try fixture.listing("jussi.maatta@example.fi") == MemberListing(
            email: "jussi.maatta@example.fi", name: "Jussi Määttä", organisation: "Oulun seurakuntayhtymä",
            networks: ["jyry", "seurakunnat"], unsubscribed: false, invitationsOff: false, undeliverable: nil))
    }

    @Test func aPersonOnSeveralRowsInAnyCaseIsOneMemberWithEveryNetworkAndTheLastNonEmptyName() throws {
        let fixture = try Fixture()
        let report = try fixture.importText(header
            + "Pia.Kangas@Example.fi,Pia K.,Oulun ensi- ja turvakoti ry,jyry\n"
            + "pia.kangas@example.fi,Pia Kangas,,lapsiperheet\n"
            + "PIA.KANGAS@EXAMPLE.FI,,,hyte;jyry\n")
        #expect(report.added.count == 1)
        let members = try fixture.lists.list()
        #expect(members.count == 1)
        #expect(members.first?.name == "Pia Kangas")
        #expect(members.first?.organisation == "Oulun ensi- ja turvakoti ry")
        #expect(members.first?.networks == ["hyte", "jyry", "lapsiperheet"])
    }

    @Test func anImportAddsNetworksToExistingMembersAndNeverTakesAnyAway() throws {
        let fixture = try Fixture()
        try fixture.importText(Self.threePeople)
        let report = try fixture.importText(header + "pia.kangas@example.fi,,,hyte\n")
        #expect(report.changed == ["pia.kangas@example.fi"])
        #expect(try fixture.listing("pia.kangas@example.fi")?.networks == ["hyte", "jyry", "lapsiperheet"])
        // An empty name in the file keeps the stored one.
        #expect(try fixture.listing("pia.kangas@example.fi")?.name == "Pia Kangas")
    }

    @Test func importingTheSameFileAgainChangesNothing() throws {
        let fixture = try Fixture()
        try fixture.importText(Self.threePeople)
        let before = try fixture.snapshot()
        let report = try fixture.importText(Self.threePeople)
        #expect(report.summary == "0 added, 0 changed, 3 unchanged, 0 skipped")
        #expect(try fixture.snapshot() == before)
    }

    @Test func everyBadRowIsListedWithItsLineAndNothingChanges() throws {
        let fixture = try Fixture()
        try fixture.importText(Self.threePeople)
        let before = try fixture.snapshot()
        let text = header
            + "matti.heikkinen@example.fi,Matti Heikkinen,SOS-Lapsikylä,lapsiperheet\n"      // 2: good
            + "aino.korhonen@example,Aino Korhonen,MLL Pohjois-Pohjanmaan piiri,hyte\n"         // 3: no dot in domain
            + "eero.kylmanen@example.fi,Eero Kylmänen,\"Oulun Seudun\n"                         // 4: record over two lines,
            + "Omaishoitajat ry\",ikaihmset\n"                                                   //    unknown network
            + "kaisa.vaananen@example.fi,Kaisa Väänänen,Oulun Invalidien Yhdistys ry,\n"        // 6: no network
            + "henrik.nyberg@example.fi,Henrik Nyberg,Kehitysvammaisten Tukiliitto\n"           // 7: three fields
            + ",Nimetön,,jyry\n"                                                                 // 8: no address
            + "sanna hamalainen@example.fi,Sanna Hämäläinen,,mielenterveys\n"                   // 9: space
        let path = try fixture.write("huono.csv", text)
        let file = try MemberFile.read(path: path)
        #expect {
            try fixture.lists.importMembers(file, at: Fixture.now)
        } throws: { error in
            guard let error = error as? MemberImportError else { return false }
            let lines = error.description.split(separator: "\n").map(String.init)
            return error.problems.map(\.line) == [3, 4, 6, 7, 8, 9]
                && lines.allSatisfy { $0.hasPrefix(path + ":") }
                && lines[0].contains("\"aino.korhonen@example\" is not an email address: the domain")
                && lines[1].contains("unknown network \"ikaihmset\"") && lines[1].contains("ikaihmiset")
                && lines[2].contains("no network in the networks column")
                && lines[3].contains("3 fields where the header has 4")
                && lines[4].contains("no address in the email column")
                && lines[5].contains("space")
        }
        #expect(try fixture.snapshot() == before)
    }

    @Test func skipInvalidImportsTheGoodRowsAndReportsTheOthers() throws {
        let fixture = try Fixture()
        let report = try fixture.importText(header
            + "matti.heikkinen@example.fi,Matti Heikkinen,SOS-Lapsikylä,lapsiperheet\n"
            + "aino.korhonen@example,Aino Korhonen,,hyte\n"
            + "kari.vesala@example.fi,Kari Vesala,Oulun Martat ry,aamukahvit;kahvit;hyte\n"
            + "ville.tervonen@example.fi,Ville Tervonen,Pohjois-Pohjanmaan Liikunta ry,hyte\n",
            skipInvalid: true)
        #expect(report.added == ["matti.heikkinen@example.fi", "ville.tervonen@example.fi"])
        #expect(report.skipped.map(\.line) == [3, 4])
        #expect(report.summary == "2 added, 0 changed, 0 unchanged, 2 skipped")
        #expect(try fixture.listing("kari.vesala@example.fi") == nil)
    }

    @Test func syncMakesTheFileExactlyTheNetworksMembers() throws {
        let fixture = try Fixture()
        try fixture.importText(header
            + "pia.kangas@example.fi,Pia Kangas,,jyry;lapsiperheet\n"
            + "jussi.maatta@example.fi,Jussi Määttä,,jyry\n"
            + "sanna.hamalainen@example.fi,Sanna Hämäläinen,,jyry;mielenterveys\n"
            + "minna.oja@example.fi,Minna Oja,,sote-keskus\n")
        let report = try fixture.importText(header
            + "pia.kangas@example.fi,,,\n"                        // already on jyry: unchanged
            + "minna.oja@example.fi,,,kuntoutus\n"                 // joins jyry, and kuntoutus as usual
            + "noora.ahonen@example.fi,Noora Ahonen,,\n",          // new, on jyry only
            sync: "jyry")
        #expect(try fixture.emails(on: "jyry") == ["minna.oja@example.fi", "noora.ahonen@example.fi", "pia.kangas@example.fi"])
        #expect(report.added == ["noora.ahonen@example.fi"])
        #expect(report.changed == ["minna.oja@example.fi"])
        #expect(report.unchanged == ["pia.kangas@example.fi"])
        #expect(report.removed == ["jussi.maatta@example.fi", "sanna.hamalainen@example.fi"])
        #expect(report.summary == "1 added, 1 changed, 2 removed from jyry, 1 unchanged, 0 skipped")
        // Who is on other networks stays there; who is on none is gone.
        #expect(try fixture.listing("sanna.hamalainen@example.fi")?.networks == ["mielenterveys"])
        #expect(try fixture.listing("jussi.maatta@example.fi") == nil)
        #expect(report.deleted == ["jussi.maatta@example.fi"])
        #expect(try fixture.listing("minna.oja@example.fi")?.networks == ["jyry", "kuntoutus", "sote-keskus"])
        #expect(try fixture.listing("pia.kangas@example.fi")?.networks == ["jyry", "lapsiperheet"])
    }

    @Test func syncAgainWithTheSameFileChangesNothing() throws {
        let fixture = try Fixture()
        let text = header + "pia.kangas@example.fi,Pia Kangas,,hyte\njussi.maatta@example.fi,Jussi Määttä,,\n"
        try fixture.importText(text, sync: "jyry")
        let before = try fixture.snapshot()
        let report = try fixture.importText(text, sync: "jyry")
        #expect(report.summary == "0 added, 0 changed, 0 removed from jyry, 2 unchanged, 0 skipped")
        #expect(try fixture.snapshot() == before)
    }

    @Test func syncWithSkipInvalidKeepsTheAddressOfASkippedRow() throws {
        let fixture = try Fixture()
        try fixture.importText(header + "pia.kangas@example.fi,Pia Kangas,,jyry\njussi.maatta@example.fi,Jussi Määttä,,jyry\n")
        let report = try fixture.importText(header
            + "pia.kangas@example.fi,Pia Kangas,,jyyry\n"          // typo in a network: skipped, but Pia stays
            + "jussi.maatta@example.fi,Jussi Määttä,,\n",
            skipInvalid: true, sync: "jyry")
        #expect(report.skipped.map(\.line) == [2])
        #expect(report.removed.isEmpty)
        #expect(try fixture.emails(on: "jyry") == ["jussi.maatta@example.fi", "pia.kangas@example.fi"])
    }

    @Test func syncToAnUnknownNetworkIsRefusedBeforeAnythingChanges() throws {
        let fixture = try Fixture()
        #expect(throws: MemberError.unknownNetwork("jyri", known: Fixture.networks)) {
            try fixture.importText(Self.threePeople, sync: "jyri")
        }
        #expect(try fixture.snapshot().isEmpty)
    }

    @Test func anImportDoesNotClearAnUndeliverableMark() throws {
        let fixture = try Fixture()
        try fixture.importText(Self.threePeople)
        try fixture.store.markUndeliverable(emailKey: "pia.kangas@example.fi", answer: "550 5.1.1 User unknown", at: Fixture.now)
        let report = try fixture.importText(Self.threePeople)
        #expect(report.changed.isEmpty)
        #expect(try fixture.listing("pia.kangas@example.fi")?.undeliverable == "550 5.1.1 User unknown")
    }

    @Test func theFilesSpellingOfAnAddressReplacesTheStoredOne() throws {
        let fixture = try Fixture()
        try fixture.importText(header + "pia.kangas@example.fi,Pia Kangas,,jyry\n")
        let report = try fixture.importText(header + "Pia.Kangas@example.fi,Pia Kangas,,jyry\n")
        #expect(report.changed == ["Pia.Kangas@example.fi"])
        #expect(try fixture.lists.list().map(\.email) == ["Pia.Kangas@example.fi"])
    }

    @Test func aDisplayNameInTheEmailColumnFillsAnEmptyName() throws {
        let fixture = try Fixture()
        try fixture.importText(header + "Pia Kangas <pia.kangas@example.fi>,,,jyry\n")
        #expect(try fixture.listing("pia.kangas@example.fi")?.name == "Pia Kangas")
    }

    /// Fault 4 of issue 7: the rows the mail writer would refuse are refused at import, by the same
    /// rule, each as FILE:LINE: control characters in a name (U+0001, U+0090), non-ASCII before the @.
    @Test func namesAndAddressesTheMailWriterWouldRefuseAreRefusedWithTheirLines() throws {
        let fixture = try Fixture()
        let path = try fixture.write("jasenet.csv", header
            + "pia.kangas@example.fi,Pia Kangas,Oulun ensi- ja turvakoti ry,jyry\n"
            + "heidi.lotjonen@example.fi,Heidi\u{01}Lötjönen,SOS-Lapsikylä,jyry\n"
            + "jussi.maatta@example.fi,Jussi\u{90}Määttä,Oulun seurakuntayhtymä,jyry\n"
            + "Åsa.Lindqvist@example.fi,Åsa Lindqvist,Svenska församlingen i Uleåborg,seurakunnat\n"
            + "leena.pohjola@example.fi,Leena Pohjola,Pohjois-Pohjanmaan Muistiyhdistys ry,ikaihmiset\n")
        let error = try #require(throws: MemberImportError.self) {
            try fixture.lists.importMembers(try MemberFile.read(path: path), at: Fixture.now)
        }
        #expect(error.problems.map(\.line) == [3, 4, 5])
        let lines = error.description.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines[0].hasPrefix("\(path):3: the name \"Heidi\\u{1}Lötjönen\" cannot go in a mail header: "))
        #expect(lines[1].hasPrefix("\(path):4: the name \"Jussi\\u{90}Määttä\" cannot go in a mail header: "))
        #expect(lines[2].hasPrefix("\(path):5: \"Åsa.Lindqvist@example.fi\" is not an email address: "))
        #expect(lines[2].contains("non-ASCII letters"))
        #expect(try fixture.lists.list().isEmpty, "nothing was imported")

        // With --skip-invalid the good rows go in and the bad ones are listed.
        let report = try fixture.lists.importMembers(try MemberFile.read(path: path), skipInvalid: true, at: Fixture.now)
        #expect(report.added == ["pia.kangas@example.fi", "leena.pohjola@example.fi"])
        #expect(report.skippedRows == 3)
    }

    @Test func membersAddRefusesANameTheMailWriterWouldRefuse() throws {
        let fixture = try Fixture()
        #expect(throws: MemberError.self) {
            try fixture.lists.add(email: "heidi.lotjonen@example.fi", networks: ["jyry"], name: "Heidi\u{01}Lötjönen", at: Fixture.now)
        }
        #expect(throws: MemberError.self) {
            try fixture.lists.add(email: "Åsa.Lindqvist@example.fi", networks: ["jyry"], at: Fixture.now)
        }
        #expect(try fixture.lists.list().isEmpty)
    }
}
