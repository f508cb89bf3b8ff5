import Foundation
import GRDB
import Testing
import TiedotinCore

/// Who delivery sends to, and the personal unsubscribe tokens.
@Suite struct RecipientTests {
    static let list = header
        + "pia.kangas@example.fi,Pia Kangas,Oulun ensi- ja turvakoti ry,jyry;lapsiperheet;hyte\n"
        + "jussi.maatta@example.fi,Jussi Määttä,Oulun seurakuntayhtymä,seurakunnat;jyry\n"
        + "aino.korhonen@example.fi,Aino Korhonen,MLL Pohjois-Pohjanmaan piiri,lapsiperheet;hyte\n"
        + "leena.pohjola@example.fi,Leena Pohjola,Pohjois-Pohjanmaan Muistiyhdistys ry,ikaihmiset\n"

    @Test func aPersonOnSeveralOfTheNetworksIsOneRecipient() throws {
        let fixture = try Fixture()
        try fixture.importText(Self.list)
        let recipients = try fixture.store.recipients(networks: ["jyry", "lapsiperheet", "hyte"], purpose: .notice)
        #expect(recipients.map(\.email) == ["aino.korhonen@example.fi", "jussi.maatta@example.fi", "pia.kangas@example.fi"])
        let pia = try #require(recipients.last)
        #expect(pia.name == "Pia Kangas")
        #expect(pia.organisation == "Oulun ensi- ja turvakoti ry")
        #expect(pia.token == (try fixture.store.token(for: "pia.kangas@example.fi")))
        #expect(try fixture.store.recipients(networks: [], purpose: .notice).isEmpty)
    }

    @Test func undeliverableAndUnsubscribedAddressesAreLeftOut() throws {
        let fixture = try Fixture()
        try fixture.importText(Self.list)
        #expect(try fixture.store.markUndeliverable(emailKey: "Aino.Korhonen@example.fi", answer: "550 5.1.1 User unknown", at: Fixture.now))
        #expect(try !fixture.store.markUndeliverable(emailKey: "nobody@example.fi", answer: "550", at: Fixture.now))
        try fixture.store.unsubscribe(email: "jussi.maatta@example.fi", scope: .notices, source: "token", at: Fixture.now)
        let all = Fixture.networks
        #expect(try fixture.store.recipients(networks: all, purpose: .notice).map(\.emailKey)
                == ["leena.pohjola@example.fi", "pia.kangas@example.fi"])
        #expect(try fixture.store.recipients(networks: all, purpose: .invitation).map(\.emailKey)
                == ["jussi.maatta@example.fi", "leena.pohjola@example.fi", "pia.kangas@example.fi"])
    }

    @Test func tokensAreStableUniqueAndLeadBackToTheAddress() throws {
        let fixture = try Fixture()
        try fixture.importText(Self.list)
        let recipients = try fixture.store.recipients(networks: Fixture.networks, purpose: .notice)
        let tokens = recipients.map(\.token)
        #expect(Set(tokens).count == recipients.count)
        for recipient in recipients {
            #expect(recipient.token.count == 26)
            #expect(recipient.token.allSatisfy { ("a"..."z").contains($0) || ("2"..."7").contains($0) })
            #expect(try fixture.store.address(forToken: recipient.token) == recipient.emailKey)
            #expect(try fixture.store.address(forToken: recipient.token.uppercased()) == recipient.emailKey)
        }
        // The same again, asked any way, and after the person was removed and added back.
        #expect(try fixture.store.recipients(networks: Fixture.networks, purpose: .notice).map(\.token) == tokens)
        let pia = try fixture.store.token(for: "PIA.KANGAS@example.fi")
        try fixture.lists.remove(email: "pia.kangas@example.fi")
        try fixture.lists.add(email: "pia.kangas@example.fi", networks: ["jyry"], at: Fixture.now)
        #expect(try fixture.store.token(for: "pia.kangas@example.fi") == pia)
        #expect(try fixture.store.address(forToken: "aaaaaaaaaaaaaaaaaaaaaaaaaa") == nil)
        #expect(try fixture.store.address(forToken: "") == nil)
    }

    @Test func anAddressThatIsNotAMemberCanHaveAToken() throws {
        let fixture = try Fixture()
        let token = try fixture.store.token(for: "toimitus@example.fi")
        #expect(try fixture.store.address(forToken: token) == "toimitus@example.fi")
    }

    @Test func randomTokensUseEveryBitOfTheGenerator() {
        // All-ones and all-zeros generators give the extremes of the alphabet: no bit is dropped or doubled.
        var ones = ConstantGenerator(value: .max)
        var zeros = ConstantGenerator(value: 0)
        #expect(SubscriberToken.random(using: &ones) == String(repeating: "7", count: 25) + "4")
        #expect(SubscriberToken.random(using: &zeros) == String(repeating: "a", count: 26))
        var system = SystemRandomNumberGenerator()
        let many = (0..<1000).map { _ in SubscriberToken.random(using: &system) }
        #expect(Set(many).count == 1000)
    }
}

/// A generator that always says the same, to see how its bits become characters.
struct ConstantGenerator: RandomNumberGenerator {
    var value: UInt64
    mutating func next() -> UInt64 { value }
}
