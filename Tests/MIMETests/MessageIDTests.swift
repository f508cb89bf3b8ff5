import Foundation
import MIME
import Testing
import TestSupport

/// RFC 5322 §3.6.4 Message-ID.
@Suite struct MessageIDTests {
    @Test("§3.6.4: <random@domain> on the sender's domain, the random part 26 characters of 32 (130 bits)")
    func form() throws {
        let id = MessageID.make(for: Fixtures.sender)
        let match = try #require(id.wholeMatch(of: /<([a-z2-7]{26})@pohde\.example\.fi>/))
        #expect(match.1.count == 26)
        try MessageID.validate(id)
        #expect(MessageID.make(domain: "POHDE.Example.FI").hasSuffix("@pohde.example.fi>"))
    }

    @Test("Ten thousand Message-IDs are all different")
    func unique() {
        let ids = Set((0..<10_000).map { _ in MessageID.make(domain: "pohde.example.fi") })
        #expect(ids.count == 10_000)
    }

    @Test("A domain with non-ASCII letters is written in its xn-- form (RFC 3492)")
    func internationalDomain() {
        #expect(MessageID.make(domain: "yhdistyslä.example.fi").hasSuffix("@xn--yhdistysl-32a.example.fi>"))
    }

    @Test("Headers made without a Message-ID get a fresh one each; Python parses it without defects")
    func generatedInHeaders() throws {
        let one = Fixtures.headers(), two = Fixtures.headers()
        #expect(one.messageID != two.messageID)
        let inspected = try MessageInspector.inspect(try Fixtures.message(one))
        #expect(inspected.defects == [])
        #expect(inspected.value(of: "Message-ID") == one.messageID)
    }
}
