import Foundation
import Testing
import TiedotinCore

/// `members add`, `members remove` and `members list`.
@Suite struct MemberListsTests {
    @Test func addPutsAnAddressOnNetworksAndAddingAgainOnlyAddsWhatIsNew() throws {
        let fixture = try Fixture()
        let first = try fixture.lists.add(
            email: "pia.kangas@example.fi", networks: ["jyry", "lapsiperheet"], name: "Pia Kangas",
            organisation: "Oulun ensi- ja turvakoti ry", at: Fixture.now)
        #expect(first.isNew)
        #expect(first.addedTo == ["jyry", "lapsiperheet"])
        let second = try fixture.lists.add(email: "Pia.Kangas@example.fi", networks: ["jyry", "hyte"], at: Fixture.now)
        #expect(!second.isNew)
        #expect(second.addedTo == ["hyte"])
        #expect(second.alreadyOn == ["jyry"])
        let members = try fixture.lists.list()
        #expect(members.count == 1)
        #expect(members.first?.networks == ["hyte", "jyry", "lapsiperheet"])
        // No --name given: the name stays.
        #expect(members.first?.name == "Pia Kangas")
    }

    @Test func addRefusesABadAddressOrAnUnknownNetworkAndChangesNothing() throws {
        let fixture = try Fixture()
        #expect(throws: MemberError.invalidAddress("pia.kangas@example", .badDomain)) {
            try fixture.lists.add(email: "pia.kangas@example", networks: ["jyry"], at: Fixture.now)
        }
        #expect(throws: MemberError.unknownNetwork("jyri", known: Fixture.networks)) {
            try fixture.lists.add(email: "pia.kangas@example.fi", networks: ["jyry", "jyri"], at: Fixture.now)
        }
        #expect(throws: MemberError.noNetwork) {
            try fixture.lists.add(email: "pia.kangas@example.fi", networks: [], at: Fixture.now)
        }
        #expect(try fixture.snapshot().isEmpty)
    }

    @Test func addAcceptsAnInternationalisedDomain() throws {
        let fixture = try Fixture()
        try fixture.lists.add(email: "asa@församlingen.example.fi", networks: ["seurakunnat"], at: Fixture.now)
        #expect(try fixture.emails(on: "seurakunnat") == ["asa@församlingen.example.fi"])
    }

    @Test func addingAgainClearsAnUndeliverableMark() throws {
        let fixture = try Fixture()
        try fixture.lists.add(email: "pia.kangas@example.fi", networks: ["jyry"], at: Fixture.now)
        try fixture.store.markUndeliverable(emailKey: "pia.kangas@example.fi", answer: "550 5.1.1 User unknown", at: Fixture.now)
        #expect(try fixture.listing("pia.kangas@example.fi")?.undeliverable == "550 5.1.1 User unknown")
        let addition = try fixture.lists.add(email: "pia.kangas@example.fi", networks: ["jyry"], at: Fixture.now)
        #expect(addition.clearedUndeliverable == "550 5.1.1 User unknown")
        #expect(try fixture.listing("pia.kangas@example.fi")?.undeliverable == nil)
    }

    @Test func removeFromOneNetworkKeepsTheOthers() throws {
        let fixture = try Fixture()
        try fixture.lists.add(email: "pia.kangas@example.fi", networks: ["jyry", "lapsiperheet"], at: Fixture.now)
        let removal = try fixture.lists.remove(email: "PIA.KANGAS@example.fi", network: "jyry")
        #expect(removal.removedFrom == ["jyry"])
        #expect(!removal.memberDeleted)
        #expect(try fixture.listing("pia.kangas@example.fi")?.networks == ["lapsiperheet"])
    }

    @Test func removeFromTheLastNetworkOrFromAllDeletesTheMember() throws {
        let fixture = try Fixture()
        try fixture.lists.add(email: "pia.kangas@example.fi", networks: ["jyry"], at: Fixture.now)
        try fixture.lists.add(email: "jussi.maatta@example.fi", networks: ["jyry", "seurakunnat"], at: Fixture.now)
        #expect(try fixture.lists.remove(email: "pia.kangas@example.fi", network: "jyry").memberDeleted)
        let removal = try fixture.lists.remove(email: "jussi.maatta@example.fi")
        #expect(removal.removedFrom == ["jyry", "seurakunnat"])
        #expect(removal.memberDeleted)
        #expect(try fixture.lists.list().isEmpty)
        #expect(try fixture.snapshot().isEmpty)
    }

    @Test func removeSaysWhenThereIsNothingToRemove() throws {
        let fixture = try Fixture()
        try fixture.lists.add(email: "pia.kangas@example.fi", networks: ["jyry"], at: Fixture.now)
        #expect(throws: MemberError.notAMember("matti.heikkinen@example.fi")) {
            try fixture.lists.remove(email: "matti.heikkinen@example.fi")
        }
        #expect(throws: MemberError.notOnNetwork(email: "pia.kangas@example.fi", network: "hyte", networks: ["jyry"])) {
            try fixture.lists.remove(email: "pia.kangas@example.fi", network: "hyte")
        }
        #expect(try fixture.listing("pia.kangas@example.fi")?.networks == ["jyry"])
    }

    @Test func listShowsOneNetworkWithEachMembersEveryNetwork() throws {
        let fixture = try Fixture()
        try fixture.lists.add(email: "pia.kangas@example.fi", networks: ["jyry", "lapsiperheet"], at: Fixture.now)
        try fixture.lists.add(email: "matti.heikkinen@example.fi", networks: ["lapsiperheet"], at: Fixture.now)
        try fixture.lists.add(email: "jussi.maatta@example.fi", networks: ["seurakunnat"], at: Fixture.now)
        let jyry = try fixture.lists.list(network: "jyry")
        #expect(jyry.map(\.email) == ["pia.kangas@example.fi"])
        #expect(jyry.first?.networks == ["jyry", "lapsiperheet"])
        #expect(try fixture.emails(on: "lapsiperheet") == ["matti.heikkinen@example.fi", "pia.kangas@example.fi"])
        #expect(try fixture.lists.list().count == 3)
        #expect(throws: MemberError.unknownNetwork("jyri", known: Fixture.networks)) {
            try fixture.lists.list(network: "jyri")
        }
    }
}
