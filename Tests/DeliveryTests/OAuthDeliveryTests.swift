import Foundation
import Testing
import TestSupport
@testable import TiedotinCore

/// Delivery through an XOAUTH2 relay (STARTTLS, the test CA) with tokens from a real HTTPS token
/// endpoint: the engine as `serve` runs it, with an injected clock.
@Suite(.serialized) struct OAuthDeliveryTests {
    static let first = "eyJ0eXAiOiJKV1QifQ.ensimmainen-tunniste"
    static let second = "eyJ0eXAiOiJKV1QifQ.toinen-tunniste"

    @Test func theFirstTokenLogsInAndEveryMessageGoesOut() async throws {
        try await OAuthFixture.with(tokens: [Self.first, Self.second], accepting: [Self.first]) { fixture in
            try fixture.delivery.announce()
            let log = CapturedLog()
            let round = try await fixture.engine(log: log).deliverDue()
            #expect(round.sent == 3)
            let messages = try fixture.smtp.messages()
            #expect(messages.count == 3)
            #expect(messages.allSatisfy { $0.tls && $0.user == OAuthFixture.mailbox })
            let auths = try fixture.smtp.events().filter { $0.kind == .auth }
            #expect(auths.map(\.mechanism) == ["XOAUTH2"], "one login for the whole round: the session is reused")
            #expect(auths.allSatisfy { $0.tls }, "the token crossed only an encrypted session")
            #expect(try fixture.tokens.requests().count == 1)
            #expect(fixture.leaks(in: log.text).isEmpty, "\(log.text)")
        }
    }

    @Test func aTokenNearItsExpiryIsRenewedBeforeTheNextRound() async throws {
        try await OAuthFixture.with(
            tokens: [Self.first, Self.second], expiresIn: 3600, accepting: [Self.first, Self.second], members: 1
        ) { fixture in
            let clock = ManualClock(Date().addingTimeInterval(60))  // mail queued now is due
            let log = CapturedLog()
            let engine = try fixture.engine(clock: clock, log: log)
            try fixture.delivery.announce(subject: "Aamukahvit 13.1.")
            #expect(await engine.deliverDue().sent == 1)
            clock.advance(by: 3_000)
            try fixture.delivery.announce(subject: "Aamukahvit 10.2.")
            #expect(await engine.deliverDue().sent == 1)
            #expect(try fixture.tokens.requests().count == 1, "50 minutes into an hour-long token, no new one")
            clock.advance(by: 400)
            try fixture.delivery.announce(subject: "Aamukahvit 10.3.")
            #expect(await engine.deliverDue().sent == 1)
            let requests = try fixture.tokens.requests()
            #expect(requests.count == 2, "within five minutes of expiry, a new token")
            #expect(requests.last?.issued == 1)
            #expect(try fixture.smtp.events().filter { $0.kind == .auth }.allSatisfy { $0.replyCode == 235 },
                    "no login was refused: renewal came before expiry, not after a 535")
            #expect(fixture.leaks(in: log.text).isEmpty)
        }
    }

    @Test(arguments: [SMTPTestServer.XOAUTH2Refusal.microsoft, .gmail])
    func aRefusedTokenIsRenewedOnceAndTheMessageRetried(_ refusal: SMTPTestServer.XOAUTH2Refusal) async throws {
        // The relay no longer takes the first token (revoked early): only the second.
        try await OAuthFixture.with(tokens: [Self.first, Self.second], accepting: [Self.second], refusal: refusal) { fixture in
            try fixture.delivery.announce()
            let log = CapturedLog()
            let round = try await fixture.engine(log: log).deliverDue()
            #expect(round.sent == 3, "the message that met the refusal went out with the new token")
            #expect(round.deferred == 0 && round.failed == 0)
            #expect(try fixture.smtp.messages().count == 3)
            // An AUTH the client leaves at Gmail's challenge is logged once the connection closes: wait for it.
            let events = try await fixture.smtp.waitForEvents { $0.filter { $0.kind == .auth }.count >= 2 }
            let auths = events.filter { $0.kind == .auth }
            #expect(auths.compactMap(\.replyCode).sorted() == [235, Int(refusal.rawValue)!].sorted())
            #expect(try fixture.tokens.requests().count == 2)
            #expect(try fixture.delivery.outbox.lastError() == nil)
            #expect(fixture.leaks(in: log.text).isEmpty)
        }
    }

    @Test(arguments: [SMTPTestServer.XOAUTH2Refusal.microsoft, .gmail])
    func aRelayThatRefusesEveryTokenKeepsTheMailQueued(_ refusal: SMTPTestServer.XOAUTH2Refusal) async throws {
        try await OAuthFixture.with(
            tokens: [Self.first, Self.second], accepting: ["token-jota-ei-koskaan-anneta"], refusal: refusal
        ) { fixture in
            try fixture.delivery.announce()
            let log = CapturedLog()
            let round = try await fixture.engine(log: log).deliverDue()
            #expect(round.sent == 0 && round.failed == 0)
            #expect(try fixture.delivery.outbox.counts().deferred == 3, "temporary: all wait for the admin's fix")
            let events = try await fixture.smtp.waitForEvents { $0.filter { $0.kind == .auth }.count >= 2 }
            #expect(events.filter { $0.kind == .auth }.count == 2, "one renewal, one retry, then stop")
            let error = try #require(try fixture.delivery.outbox.lastError()?.message)
            #expect(error.contains("refused the XOAUTH2 login of \(OAuthFixture.mailbox) with a newly issued token too"))
            #expect(error.contains("Add-MailboxPermission"))
            #expect(log.text.contains("Add-MailboxPermission"))
            #expect(fixture.leaks(in: log.text, error).isEmpty)
        }
    }

    @Test func aWrongSecretKeepsTheMailQueuedWithAClearError() async throws {
        try await OAuthFixture.with(
            tokens: [Self.first], accepting: [Self.first], secret: "vanhentunut-salaisuus"
        ) { fixture in
            try fixture.delivery.announce()
            let log = CapturedLog()
            let round = try await fixture.engine(log: log).deliverDue()
            #expect(round.sent == 0 && round.failed == 0)
            #expect(try fixture.delivery.outbox.counts().deferred == 3)
            #expect(try fixture.smtp.events().isEmpty, "without a token the relay is not even contacted")
            let error = try #require(try fixture.delivery.outbox.lastError()?.message)
            #expect(error.contains("invalid_client"))
            #expect(error.contains("AADSTS7000215"))
            #expect(error.contains("mail.smtp.oauth.client_secret_file"))
            #expect(log.text.contains("AADSTS7000215"))
            #expect(fixture.leaks(in: log.text, error).isEmpty)
        }
    }

    @Test func theOnlineCheckNamesTheKeyOfEachFailure() async throws {
        try await OAuthFixture.with(tokens: [Self.first], accepting: [Self.first], secret: "väärä") { fixture in
            let check = RelayLoginCheck(
                mail: fixture.delivery.configuration.mail, secrets: Secrets(environment: [:]), logger: CapturedLog().logger())
            let report = check.run()
            #expect(report.failureKey == "mail.smtp.oauth.client_secret_file")
            #expect(report.lines.isEmpty)
        }
        try await OAuthFixture.with(tokens: [Self.first], accepting: ["muu"]) { fixture in
            let check = RelayLoginCheck(
                mail: fixture.delivery.configuration.mail, secrets: Secrets(environment: [:]), logger: CapturedLog().logger())
            let report = check.run()
            #expect(report.failureKey == "mail.smtp.auth")
            #expect(report.lines.count == 1, "the token step went through: \(report.lines)")
        }
    }
}
