import Foundation
import Testing
import TestSupport
@testable import TiedotinCore

/// `check-config --online`, `announce --wait`, `status` and `outbox retry` as the admin runs them,
/// against an XOAUTH2 relay and a token endpoint on 127.0.0.1. No output shows a secret or a token.
@Suite(.serialized) struct OAuthCommandTests {
    static let token = "eyJ0eXAiOiJKV1QifQ.komentorivin-tunniste"
    static let renewed = "eyJ0eXAiOiJKV1QifQ.uusittu-tunniste"

    func endpoint(port: Int = 0, answer: String? = nil) async throws -> TokenTestServer {
        var options = TokenTestServer.Options()
        options.tokens = [Self.token, Self.renewed]
        options.answer = answer
        return try await TokenTestServer.start(options, authority: try .shared(), port: port)
    }

    func body(_ fixture: OAuthFixture) throws -> String {
        try fixture.delivery.folder.write("Hyvät yhdyshenkilöt,\n\n**JYRY** kokoontuu 10.2.2027 klo 13.\n", to: "tiedote.md")
    }

    func statusError(_ fixture: OAuthFixture) throws -> String? {
        let status = try fixture.run(["status", "--json"])
        let document = try JSONSerialization.jsonObject(with: Data(status.output.utf8)) as? [String: Any]
        #expect(fixture.leaks(in: status.output, status.errors).isEmpty)
        return document?["last_error"] as? String
    }

    @Test func checkConfigOnlineGetsATokenAndLogsInOverTLS() async throws {
        let authority = try TestCertificateAuthority.shared()
        let tokens = try await endpoint()
        try await withSMTPTestServer(OAuthFixture.relay(authority, accepting: [Self.token], refusal: .microsoft)) { smtp in
            let fixture = try OAuthFixture(tokens: tokens, smtp: smtp, authority: authority)
            let run = try fixture.run(["check-config", "--online"])
            #expect(run.status == 0, "\(run.errors)")
            #expect(run.output.contains("online: token: https://127.0.0.1:\(tokens.port)/pohde.example.fi/oauth2/v2.0/token issued an access token for 59 minutes"))
            #expect(run.output.contains("online: logged in to \(smtp.url.absoluteString) as \(OAuthFixture.mailbox) with XOAUTH2 (EHLO, STARTTLS, AUTH, NOOP, QUIT); TLS TLSv1."), "\(run.output)")
            #expect(run.output.contains("after STARTTLS; nothing was sent"))
            #expect(try smtp.messages().isEmpty)
            let events = try await smtp.waitForEvents { $0.contains { $0.kind == .quit } }
            #expect(events.contains { $0.kind == .auth && $0.replyCode == 235 && $0.tls })
            #expect(!events.contains { $0.kind == .mail })
            #expect(fixture.leaks(in: run.output, run.errors).isEmpty)
        }
        await tokens.stop()
    }

    @Test(arguments: [SMTPTestServer.XOAUTH2Refusal.microsoft, .gmail])
    func checkConfigOnlineRenewsARefusedTokenOnce(_ refusal: SMTPTestServer.XOAUTH2Refusal) async throws {
        let authority = try TestCertificateAuthority.shared()
        let tokens = try await endpoint()
        try await withSMTPTestServer(OAuthFixture.relay(authority, accepting: [Self.renewed], refusal: refusal)) { smtp in
            let fixture = try OAuthFixture(tokens: tokens, smtp: smtp, authority: authority)
            let run = try fixture.run(["check-config", "--online"])
            #expect(run.status == 0, "\(run.errors)")
            #expect(run.output.contains("online: logged in to \(smtp.url.absoluteString) as \(OAuthFixture.mailbox) with XOAUTH2"))
            let events = try await smtp.waitForEvents { $0.filter { $0.kind == .auth }.count >= 2 }
            #expect(events.filter { $0.kind == .auth }.compactMap(\.replyCode).sorted() == [235, Int(refusal.rawValue)!].sorted())
            #expect(fixture.leaks(in: run.output, run.errors).isEmpty)
        }
        await tokens.stop()
    }

    @Test(arguments: [SMTPTestServer.XOAUTH2Refusal.microsoft, .gmail])
    func checkConfigOnlineSaysTheAuthStepFailedWhenNoTokenIsTaken(_ refusal: SMTPTestServer.XOAUTH2Refusal) async throws {
        let authority = try TestCertificateAuthority.shared()
        let tokens = try await endpoint()
        try await withSMTPTestServer(OAuthFixture.relay(authority, accepting: ["toinen-sovellus"], refusal: refusal)) { smtp in
            let fixture = try OAuthFixture(tokens: tokens, smtp: smtp, authority: authority)
            let run = try fixture.run(["check-config", "--online"])
            #expect(run.status == 1)
            #expect(run.errors.contains("online: the relay \(smtp.url.absoluteString) refused the XOAUTH2 login"), "\(run.errors)")
            #expect(run.errors.contains("(the step that failed: AUTH)"))
            #expect(run.errors.contains("New-ServicePrincipal"))
            #expect(fixture.leaks(in: run.output, run.errors).isEmpty)
        }
        await tokens.stop()
    }

    @Test func aWrongSecretKeepsTheMailWaitingAndSaysWhichKeyToFix() async throws {
        let authority = try TestCertificateAuthority.shared()
        let tokens = try await endpoint()
        try await withSMTPTestServer(OAuthFixture.relay(authority, accepting: [Self.token], refusal: .microsoft)) { smtp in
            let fixture = try OAuthFixture(tokens: tokens, smtp: smtp, authority: authority, secret: "Vanha~salaisuus.2025")
            let check = try fixture.run(["check-config", "--online"])
            #expect(check.status == 1)
            #expect(check.errors.contains("online: the OAuth token endpoint https://127.0.0.1:\(tokens.port)/pohde.example.fi/oauth2/v2.0/token refused to issue a token (HTTP 401, invalid_client: AADSTS7000215"), "\(check.errors)")
            #expect(check.errors.contains("(the step that failed: the token request, before SMTP)"))
            #expect(check.errors.contains("mail.smtp.oauth.client_secret_file"))

            let announce = try fixture.run(["announce", "--network", "ikaihmiset", "--subject", "Tiedote", "--body", try body(fixture), "--wait"])
            #expect(announce.status == 3, "\(announce.errors)")
            #expect(announce.errors.contains("AADSTS7000215"))
            #expect(try smtp.events().isEmpty)
            let lastError = try #require(try statusError(fixture))
            #expect(lastError.contains("invalid_client") && lastError.contains("mail.smtp.oauth.client_secret_file"))
            #expect(try fixture.delivery.outbox.counts().deferred == 3)
            #expect(fixture.leaks(in: check.output, check.errors, announce.output, announce.errors).isEmpty)
        }
        await tokens.stop()
    }

    @Test func theEndpointDownThenUp() async throws {
        let authority = try TestCertificateAuthority.shared()
        let first = try await endpoint()
        let port = first.port
        await first.stop()
        try await withSMTPTestServer(OAuthFixture.relay(authority, accepting: [Self.token, Self.renewed], refusal: .microsoft)) { smtp in
            let fixture = try OAuthFixture(tokens: first, smtp: smtp, authority: authority)
            let check = try fixture.run(["check-config", "--online"])
            #expect(check.status == 1)
            #expect(check.errors.contains("online: cannot reach the OAuth token endpoint https://127.0.0.1:\(port)/"), "\(check.errors)")
            #expect(check.errors.contains("(the step that failed: the token request, before SMTP)"))
            #expect(check.errors.contains("mail.smtp.oauth.token_url"))

            let announce = try fixture.run(["announce", "--network", "ikaihmiset", "--subject", "Tiedote", "--body", try body(fixture), "--wait"])
            #expect(announce.status == 3)
            let lastError = try #require(try statusError(fixture))
            #expect(lastError.contains("cannot reach the OAuth token endpoint"))
            #expect(try fixture.delivery.outbox.counts().deferred == 3)

            let again = try await endpoint(port: port)
            let checkAgain = try fixture.run(["check-config", "--online"])
            #expect(checkAgain.status == 0, "\(checkAgain.errors)")
            let retry = try fixture.run(["outbox", "retry", "--wait"])
            #expect(retry.status == 0, "\(retry.errors)")
            #expect(try smtp.messages().count == 3)
            #expect(try again.requests().count == 2, "one token for check-config, one for the retry")
            #expect(fixture.leaks(in: check.output, check.errors, announce.output, announce.errors,
                                  checkAgain.output, checkAgain.errors, retry.output, retry.errors).isEmpty)
            await again.stop()
        }
    }

    @Test(arguments: [("not_json", "not JSON", "mail.smtp.oauth.token_url"), ("unauthorized_client", "unauthorized_client", "mail.smtp.oauth.client_id")])
    func checkConfigOnlineExplainsOtherEndpointAnswers(_ answer: String, _ said: String, _ key: String) async throws {
        let authority = try TestCertificateAuthority.shared()
        let tokens = try await endpoint(answer: answer)
        try await withSMTPTestServer(OAuthFixture.relay(authority, accepting: [Self.token], refusal: .microsoft)) { smtp in
            let fixture = try OAuthFixture(tokens: tokens, smtp: smtp, authority: authority)
            let run = try fixture.run(["check-config", "--online"])
            #expect(run.status == 1)
            #expect(run.errors.contains("online: the OAuth token endpoint") && run.errors.contains(said) && run.errors.contains(key), "\(run.errors)")
            #expect(fixture.leaks(in: run.output, run.errors).isEmpty)
        }
        await tokens.stop()
    }

    @Test func checkConfigOnlineSaysWhenASessionRanInPlainText() async throws {
        try await withSMTPTestServer { smtp in
            let fixture = try DeliveryFixture(mail: """
                  transport: smtp
                  smtp:
                    url: \(smtp.url.absoluteString)
                    starttls: opportunistic
                    auth: none
                    timeout: 5s
                """)
            let run = try TiedotinBinary.run(["check-config", "--online", "--config", fixture.configuration.file])
            #expect(run.status == 0, "\(run.errors)")
            #expect(run.output.contains("online: logged in to \(smtp.url.absoluteString) (auth: none, no login) (EHLO, NOOP, QUIT); no TLS: the session ran in plain text (the relay offered no STARTTLS, and starttls is opportunistic); nothing was sent"), "\(run.output)")
        }
    }

    @Test func checkConfigOnlineReportsImplicitTLS() async throws {
        let authority = try TestCertificateAuthority.shared()
        try await withSMTPTestServer(.implicitTLS(authority)) { smtp in
            let fixture = try DeliveryFixture(mail: DeliveryFixture.smtp(smtp, starttls: "required", ca: authority))
            let run = try TiedotinBinary.run(["check-config", "--online", "--config", fixture.configuration.file])
            #expect(run.status == 0, "\(run.errors)")
            #expect(run.output.contains("; TLS TLSv1."), "\(run.output)")
            #expect(run.output.contains("from the first byte (smtps); nothing was sent"))
        }
    }
}
