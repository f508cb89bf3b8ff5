import Foundation
import Testing
import TiedotinCore

/// `members list --format csv|json|table`.
@Suite struct MemberExportTests {
    static let members = header
        + "pia.kangas@example.fi,Pia Kangas,Oulun ensi- ja turvakoti ry,jyry;lapsiperheet\n"
        + "asa.lindqvist@example.fi,\"Lindqvist, Åsa\",\"Svenska församlingen i Uleåborg, \"\"Domkyrkan\"\"\",seurakunnat\n"
        + "leena.pohjola@example.fi,,,ikaihmiset;aamukahvit\n"
        + "Tiina.Laitinen@example.fi,Tiina Laitinen,\"Oulun seurakuntayhtymä\"\"\",seurakunnat;ikaihmiset\n"

    @Test func exportedCSVImportsIntoAnEmptyDatabaseAsTheSameLists() throws {
        let original = try Fixture()
        try original.importText(Self.members)
        try original.store.unsubscribe(email: "leena.pohjola@example.fi", scope: .notices, source: "admin", at: Fixture.now)
        let exported = MemberExport.csv(try original.lists.list())

        let copy = try Fixture()
        try copy.importText(exported)
        #expect(try copy.lists.list() == original.lists.list().map { member in
            var member = member
            member.unsubscribed = false // an unsubscribe belongs to the address in one database, not to the file
            return member
        })
        #expect(MemberExport.csv(try copy.lists.list()) == exported)
        // And the same file into the same database changes nothing.
        let before = try original.snapshot()
        #expect(try original.importText(exported).summary == "0 added, 0 changed, 4 unchanged, 0 skipped")
        #expect(try original.snapshot() == before)
    }

    @Test func csvQuotesOnlyWhereNeeded() throws {
        let fixture = try Fixture()
        try fixture.importText(Self.members)
        let lines = MemberExport.csv(try fixture.lists.list(network: "seurakunnat")).split(separator: "\n")
        #expect(lines == [
            "email,name,organisation,networks",
            "asa.lindqvist@example.fi,\"Lindqvist, Åsa\",\"Svenska församlingen i Uleåborg, \"\"Domkyrkan\"\"\",seurakunnat",
            "Tiina.Laitinen@example.fi,Tiina Laitinen,\"Oulun seurakuntayhtymä\"\"\",ikaihmiset;seurakunnat",
        ])
    }

    @Test func jsonHasTheContractsFieldsWithNullsForWhatIsMissing() throws {
        let fixture = try Fixture()
        try fixture.importText(Self.members)
        try fixture.store.unsubscribe(email: "pia.kangas@example.fi", scope: .all, source: "admin", at: Fixture.now)
        try fixture.store.unsubscribe(email: "asa.lindqvist@example.fi", scope: .notices, source: "admin", at: Fixture.now)
        try fixture.store.markUndeliverable(emailKey: "leena.pohjola@example.fi", answer: "550 5.1.1 User unknown", at: Fixture.now)
        let json = try MemberExport.json(try fixture.lists.list())
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        #expect(parsed.count == 4)
        for object in parsed {
            #expect(Set(object.keys) == ["email", "name", "organisation", "networks", "unsubscribed", "invitations_off", "undeliverable"])
        }
        let byEmail = Dictionary(uniqueKeysWithValues: parsed.map { ($0["email"] as! String, $0) })
        let pia = try #require(byEmail["pia.kangas@example.fi"])
        #expect(pia["networks"] as? [String] == ["jyry", "lapsiperheet"])
        #expect(pia["unsubscribed"] as? Bool == true)
        #expect(pia["invitations_off"] as? Bool == true)
        #expect(pia["undeliverable"] is NSNull)
        let asa = try #require(byEmail["asa.lindqvist@example.fi"])
        #expect(asa["name"] as? String == "Lindqvist, Åsa")
        #expect(asa["unsubscribed"] as? Bool == true)
        #expect(asa["invitations_off"] as? Bool == false)
        let leena = try #require(byEmail["leena.pohjola@example.fi"])
        #expect(leena["name"] is NSNull)
        #expect(leena["organisation"] is NSNull)
        #expect(leena["undeliverable"] as? String == "550 5.1.1 User unknown")
        #expect(leena["unsubscribed"] as? Bool == false)
        // One member per line, keys in the contract's order, names readable UTF-8 rather than \u escapes.
        #expect(json.split(separator: "\n").contains("""
              {"email": "asa.lindqvist@example.fi", "name": "Lindqvist, Åsa", \
            "organisation": "Svenska församlingen i Uleåborg, \\"Domkyrkan\\"", "networks": ["seurakunnat"], \
            "unsubscribed": true, "invitations_off": false, "undeliverable": null},
            """))
    }

    @Test func anEmptyListIsAnEmptyJSONArray() throws {
        let json = try MemberExport.json([])
        #expect(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [Any] != nil)
    }

    @Test func tableColumnsLineUpWithÄAndÖWhetherComposedOrNot() throws {
        let composed = "J\u{E4}rvel\u{E4}"
        let decomposed = "Ja\u{308}rvela\u{308}"
        let members = [
            MemberListing(email: "a@example.fi", name: composed, organisation: "Oulun ensi- ja turvakoti ry",
                          networks: ["jyry"], unsubscribed: false, invitationsOff: false, undeliverable: nil),
            MemberListing(email: "bb@example.fi", name: decomposed, organisation: "Föreningen", networks: ["hyte", "jyry"],
                          unsubscribed: true, invitationsOff: false, undeliverable: nil),
            MemberListing(email: "ccc@example.fi", name: "Pia Kangas", organisation: nil, networks: ["lapsiperheet"],
                          unsubscribed: true, invitationsOff: true, undeliverable: "550 5.1.1 User unknown"),
        ]
        // Compared unit by unit: Swift's String == would let the decomposed name match the composed one.
        let expected = [
            "EMAIL           NAME        ORGANISATION                 NETWORKS      STATE",
            "a@example.fi    \(composed)     Oulun ensi- ja turvakoti ry  jyry",
            "bb@example.fi   \(decomposed)     Föreningen                   hyte,jyry     unsubscribed",
            "ccc@example.fi  Pia Kangas                               lapsiperheet  unsubscribed from all; undeliverable: 550 5.1.1 User unknown",
        ].joined(separator: "\n") + "\n"
        #expect(Array(MemberExport.table(members).unicodeScalars) == Array(expected.unicodeScalars))
    }
}
