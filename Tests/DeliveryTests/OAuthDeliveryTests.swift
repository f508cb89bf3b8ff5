import Foundation
import Testing
import TestSupport
@testable import TiedotinCore

/// Delivery through an XOAUTH2 relay (STARTTLS, the test CA) with tokens from a real HTTPS token
/// endpoint: the engine as `serve` runs it, with an injected clock.
@Suite(.serialized) struct OAuthDeliveryTests {
    static let first = "eyJ0eXAiOiJKV1QifQ.ensimmainen-tunniste"
    static let second = "eyJ0eXAiOiJKV1QifQ.toinen-tunniste"

    func endpoint(tokens: [String] = [first, second], expiresIn: Int = 3599) async throws -> TokenTestServer {
        var options = TokenTestServer.Options()
        options.tokens = tokens
        options.expiresIn = expiresIn
        return try await TokenTestServer.start(options, authority: try .shared())
    }

    @Test func theFirstTokenLogsInAndEveryMessageGoesOut() async throws {
        let authority = try TestCertificateAuthority.shared()
        let tokens = try await endpoint()
        try await withSMTPTestServer(OAuthFixture.relay(authority, accepting: [Self.first], refusal: .microsoft)) { smtp in
            let fixture = try OAuthFixture(tokens: tokens, smtp: smtp, authority: authority)
            try fixture.delivery.announce()
            let log = CapturedLog()
            let round = try await fixture.engine(log: log).deliverDue()
            #expect(round.sent == 3)
            let messages = try smtp.messages()
            #expect(messages.count == 3)
            #expect(messages.allSatisfy { $0.tls && $0.user == OAuthFixture.mailbox })
            let auths = try smtp.events().filter { $0.kind == .auth }
            #expect(auths.map(\.mechanism) == ["XOAUTH2"], "one login for the whole round: the session is reused")
            #expect(auths.allSatisfy { $0.tls }, "the token crossed only an encrypted session")
            #expect(try tokens.requests().count == 1)
            #expect(fixture.leaks(in: log.text).isEmpty, "\(log.text)")
        }
        await tokens.stop()
    }

    @Test func aTokenNearItsExpiryIsRenewedBeforeTheNextRound() async throws {
        let authority = try TestCertificateAuthority.shared()
        let tokens = try await endpoint(expiresIn: 3600)
        try await withSMTPTestServer(OAuthFixture.relay(authority, accepting: [Self.first, Self.second], refusal: .microsoft)) { smtp in
            let fixture = try OAuthFixture(tokens: tokens, smtp: smtp, authority: authority, members: 1)
            let clock = ManualClock(Date().addingTimeInterval(60))  // mail queued now is due
            let log = CapturedLog()
            let engine = try fixture.engine(clock: clock, log: log)
            try fixture.delivery.announce(subject: "Aamukahvit 13.1.")
            #expect(await engine.deliverDue().sent == 1)
            clock.advance(by: 3_000)
            try fixture.delivery.announce(subject: "Aamukahvit 10.2.")
            #expect(await engine.deliverDue().sent == 1)
            #expect(try tokens.requests().count == 1, "50 minutes into an hour-long token, no new one")
            clock.advance(by: 400)
            try fixture.delivery.announce(subject: "Aamukahvit 10.3.")
            #expect(await engine.deliverDue().sent == 1)
            let requests = try tokens.requests()
            #expect(requests.count == 2, "within five minutes of expiry, a new token")
            #expect(requests.last?.issued == 1)
            #expect(try smtp.events().filter { $0.kind == .auth }.allSatisfy { $0.replyCode == 235 },
                    "no login was refused: renewal came before expiry, not after a 535")
            #expect(fixture.leaks(in: log.text).isEmpty)
        }
        await tokens.stop()
    }

    @Test(arguments: [SMTPTestServer.XOAUTH2Refusal.microsoft, .gmail])
    func aRefusedTokenIsRenewedOnceAndTheMessageRetried(_ refusal: SMTPTestServer.XOAUTH2Refusal) async throws {
        let authority = try TestCertificateAuthority.shared()
        let tokens = try await endpoint()
        // The relay no longer takes the first token (revoked early): only the second.
        try await withSMTPTestServer(OAuthFixture.relay(authority, accepting: [Self.second], refusal: refusal)) { smtp in
            let fixture = try OAuthFixture(tokens: tokens, smtp: smtp, authority: authority)
            try fixture.delivery.announce()
            let log = CapturedLog()
            let round = try await fixture.engine(log: log).deliverDue()
            #expect(round.sent == 3, "the message that met the refusal went out with the new token")
            #expect(round.deferred == 0 && round.failed == 0)
            #expect(try smtp.messages().count == 3)
            let events = try await smtp.waitForEvents { $0.filter { $0.kind == .auth }.count >= 2 }
            let auths = events.filter { $0.kind == .auth }
            #expect(auths.compactMap(\.replyCode).sorted() == [235, Int(refusal.rawValue)!].sorted())
            #expect(try tokens.requests().count == 2)
            #expect(try fixture.delivery.outbox.lastError() == nil)
            #expect(fixture.leaks(in: log.text).isEmpty)
        }
        await tokens.stop()
    }

    @Test(arguments: [SMTPTestServer.XOAUTH2Refusal.microsoft, .gmail])
    func aRelayThatRefusesEveryTokenKeepsTheMailQueued(_ refusal: SMTPTestServer.XOAUTH2Refusal) async throws {
        let authority = try TestCertificateAuthority.shared()
        let tokens = try await endpoint()
        try await withSMTPTestServer(OAuthFixture.relay(authority, accepting: ["token-jota-ei-koskaan-anneta"], refusal: refusal)) { smtp in
            let fixture = try OAuthFixture(tokens: tokens, smtp: smtp, authority: authority)
            try fixture.delivery.announce()
            let log = CapturedLog()
            let round = try await fixture.engine(log: log).deliverDue()
            #expect(round.sent == 0 && round.failed == 0)
            let counts = try fixture.delivery.outbox.counts()
            #expect(counts.deferred == 3, "temporary: all wait for the admin's fix")
            // An AUTH the client leaves at Gmail's challenge is logged once the connection closes: wait for it.
            let events = try await smtp.waitForEvents { $0.filter { $0.kind == .auth }.count >= 2 }
            #expect(events.filter { $0.kind == .auth }.count == 2, "one renewal, one retry, then stop")
            let error = try #require(try fixture.delivery.outbox.lastError()?.message)
            #expect(error.contains("refused the XOAUTH2 login of \(OAuthFixture.mailbox) with a newly issued token too"))
            #expect(error.contains("Add-MailboxPermission"))
            #expect(log.text.contains("Add-MailboxPermission"))
            #expect(fixture.leaks(in: log.text, error).isEmpty)
        }
        await tokens.stop()
    }

    @Test func aWrongSecretKeepsTheMailQueuedWithAClearError() async throws {
        let authority = try TestCertificateAuthority.shared()
        let tokens = try await endpoint()
        try await withSMTPTestServer(OAuthFixture.relay(authority, accepting: [Self.first], refusal: .microsoft)) { smtp in
            let fixture = try OAuthFixture(tokens: tokens, smtp: smtp, authority: authority, secret: "vanhentunut-salaisuus")
            try fixture.delivery.announce()
            let log = CapturedLog()
            let round = try await fixture.engine(log: log).deliverDue()
            #expect(round.sent == 0 && round.failed == 0)
            #expect(try fixture.delivery.outbox.counts().deferred == 3)
            #expect(try smtp.events().isEmpty, "without a token the relay is not even contacted")
            let error = try #require(try fixture.delivery.outbox.lastError()?.message)
            #expect(error.contains("invalid_client"))
            #expect(error.contains("AADSTS7000215"))
            #expect(error.contains("mail.smtp.oauth.client_secret_file"))
            #expect(log.text.contains("AADSTS7000215"))
            #expect(fixture.leaks(in: log.text, error).isEmpty)
        }
        await tokens.stop()
    }
}
