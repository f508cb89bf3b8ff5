import Foundation
import Testing
import TestSupport
@testable import TiedotinCore

/// `check-config --online`, `announce --wait`, `status` and `outbox retry` as the admin runs them,
/// against an XOAUTH2 relay and a token endpoint on 127.0.0.1. No output shows a secret or a token.
@Suite(.serialized) struct OAuthCommandTests {
    static let token = "eyJ0eXAiOiJKV1QifQ.komentorivin-tunniste"
    static let renewed = "eyJ0eXAiOiJKV1QifQ.uusittu-tunniste"
    static let issued = [token, renewed]

    func announce(_ fixture: OAuthFixture) throws -> TiedotinBinary.Run {
        let body = try fixture.delivery.folder.write("Hyvät yhdyshenkilöt,\n\n**JYRY** kokoontuu 10.2.2027 klo 13.\n", to: "tiedote.md")
        return try fixture.run(["announce", "--network", "ikaihmiset", "--subject", "Tiedote", "--body", body, "--wait"])
    }

    /// `status --json`'s last error.
    func statusError(_ fixture: OAuthFixture) throws -> String? {
        let status = try fixture.run(["status", "--json"])
        #expect(fixture.leaks(in: status.output, status.errors).isEmpty)
        let document = try JSONSerialization.jsonObject(with: Data(status.output.utf8)) as? [String: Any]
        return document?["last_error"] as? String
    }

    func endpointURL(_ fixture: OAuthFixture) -> String {
        "https://127.0.0.1:\(fixture.tokens.port)/pohde.example.fi/oauth2/v2.0/token"
    }

    @Test func checkConfigOnlineGetsATokenAndLogsInOverTLS() async throws {
        try await OAuthFixture.with(tokens: Self.issued, accepting: [Self.token]) { fixture in
            let run = try fixture.run(["check-config", "--online"])
            #expect(run.status == 0, "\(run.errors)")
            #expect(run.output.contains("online: token: \(endpointURL(fixture)) issued an access token for 59 minutes"))
            #expect(run.output.contains(
                "online: logged in to \(fixture.smtp.url.absoluteString) as \(OAuthFixture.mailbox) with XOAUTH2 "
                    + "(EHLO, STARTTLS, AUTH, NOOP, QUIT); TLS TLSv1."), "\(run.output)")
            #expect(run.output.contains("after STARTTLS; nothing was sent"))
            #expect(try fixture.smtp.messages().isEmpty)
            let events = try await fixture.smtp.waitForEvents { $0.contains { $0.kind == .quit } }
            #expect(events.contains { $0.kind == .auth && $0.replyCode == 235 && $0.tls })
            #expect(!events.contains { $0.kind == .mail })
            #expect(fixture.leaks(in: run.output, run.errors).isEmpty)
        }
    }

    @Test(arguments: [SMTPTestServer.XOAUTH2Refusal.microsoft, .gmail])
    func checkConfigOnlineRenewsARefusedTokenOnce(_ refusal: SMTPTestServer.XOAUTH2Refusal) async throws {
        try await OAuthFixture.with(tokens: Self.issued, accepting: [Self.renewed], refusal: refusal) { fixture in
            let run = try fixture.run(["check-config", "--online"])
            #expect(run.status == 0, "\(run.errors)")
            #expect(run.output.contains("online: logged in to \(fixture.smtp.url.absoluteString) as \(OAuthFixture.mailbox) with XOAUTH2"))
            let events = try await fixture.smtp.waitForEvents { $0.filter { $0.kind == .auth }.count >= 2 }
            #expect(events.filter { $0.kind == .auth }.compactMap(\.replyCode).sorted() == [235, Int(refusal.rawValue)!].sorted())
            #expect(fixture.leaks(in: run.output, run.errors).isEmpty)
        }
    }

    @Test(arguments: [SMTPTestServer.XOAUTH2Refusal.microsoft, .gmail])
    func checkConfigOnlineSaysTheAuthStepFailedWhenNoTokenIsTaken(_ refusal: SMTPTestServer.XOAUTH2Refusal) async throws {
        try await OAuthFixture.with(tokens: Self.issued, accepting: ["toinen-sovellus"], refusal: refusal) { fixture in
            let run = try fixture.run(["check-config", "--online"])
            #expect(run.status == 1)
            #expect(run.errors.contains("online: the relay \(fixture.smtp.url.absoluteString) refused the XOAUTH2 login"), "\(run.errors)")
            #expect(run.errors.contains("(the step that failed: AUTH)"))
            #expect(run.errors.contains("New-ServicePrincipal"))
            #expect(fixture.leaks(in: run.output, run.errors).isEmpty)
        }
    }

    @Test func aWrongSecretKeepsTheMailWaitingAndSaysWhichKeyToFix() async throws {
        try await OAuthFixture.with(tokens: Self.issued, accepting: [Self.token], secret: "Vanha~salaisuus.2025") { fixture in
            let check = try fixture.run(["check-config", "--online"])
            #expect(check.status == 1)
            #expect(check.errors.contains(
                "online: the OAuth token endpoint \(endpointURL(fixture)) refused to issue a token (HTTP 401, invalid_client: AADSTS7000215"),
                "\(check.errors)")
            #expect(check.errors.contains("mail.smtp.oauth.client_secret_file"))
            #expect(check.errors.contains("(the step that failed: the token request, before SMTP)"))

            let announce = try announce(fixture)
            #expect(announce.status == 3, "\(announce.errors)")
            #expect(announce.errors.contains("AADSTS7000215"))
            #expect(try fixture.smtp.events().isEmpty)
            let lastError = try #require(try statusError(fixture))
            #expect(lastError.contains("invalid_client") && lastError.contains("mail.smtp.oauth.client_secret_file"))
            #expect(try fixture.delivery.outbox.counts().deferred == 3)
            #expect(fixture.leaks(in: check.output, check.errors, announce.output, announce.errors).isEmpty)
        }
    }

    @Test func serveAtTraceLevelShowsNeitherSecretNorTokenThroughARenewal() async throws {
        try await OAuthFixture.with(tokens: Self.issued, accepting: [Self.renewed], refusal: .gmail) { fixture in
            let body = try fixture.delivery.folder.write("Aamukahvit 13.1.2027 klo 9 Teamsissa.\n", to: "tiedote.md")
            let queued = try fixture.run(["announce", "--network", "ikaihmiset", "--subject", "Aamukahvit", "--body", body])
            #expect(queued.status == 0, "\(queued.errors)")
            let serve = try fixture.run(["serve", "--once", "--log-level", "trace"])
            #expect(serve.status == 0, "\(serve.errors)")
            #expect(try fixture.smtp.messages().count == 3)
            #expect(serve.errors.components(separatedBy: "obtained an OAuth access token").count == 3,
                    "the first token and its renewal after the 334 challenge are both logged: \(serve.errors)")
            #expect(fixture.leaks(in: serve.output, serve.errors, queued.output, queued.errors).isEmpty)
        }
    }

    @Test func theEndpointDownThenUp() async throws {
        try await OAuthFixture.with(tokens: Self.issued, accepting: Self.issued) { fixture in
            await fixture.tokens.stop()
            let check = try fixture.run(["check-config", "--online"])
            #expect(check.status == 1)
            #expect(check.errors.contains("online: cannot reach the OAuth token endpoint \(endpointURL(fixture))"), "\(check.errors)")
            #expect(check.errors.contains("mail.smtp.oauth.token_url"))
            #expect(check.errors.contains("(the step that failed: the token request, before SMTP)"))

            let announce = try announce(fixture)
            #expect(announce.status == 3)
            let lastError = try #require(try statusError(fixture))
            #expect(lastError.contains("cannot reach the OAuth token endpoint"))
            #expect(try fixture.delivery.outbox.counts().deferred == 3)

            let again = try await TokenTestServer.start(fixture.tokens.options, authority: fixture.authority, port: fixture.tokens.port)
            let checkAgain = try fixture.run(["check-config", "--online"])
            #expect(checkAgain.status == 0, "\(checkAgain.errors)")
            let retry = try fixture.run(["outbox", "retry", "--wait"])
            #expect(retry.status == 0, "\(retry.errors)")
            #expect(try fixture.smtp.messages().count == 3)
            #expect(try again.requests().count == 2, "one token for check-config, one for the retry")
            #expect(fixture.leaks(in: check.output, check.errors, announce.output, announce.errors,
                                  checkAgain.output, checkAgain.errors, retry.output, retry.errors).isEmpty)
            await again.stop()
        }
    }

    @Test(arguments: [("not_json", "not JSON", "mail.smtp.oauth.token_url"), ("unauthorized_client", "unauthorized_client", "mail.smtp.oauth.client_id")])
    func checkConfigOnlineExplainsOtherEndpointAnswers(_ answer: String, _ said: String, _ key: String) async throws {
        try await OAuthFixture.with(tokens: Self.issued, answer: answer, accepting: [Self.token]) { fixture in
            let run = try fixture.run(["check-config", "--online"])
            #expect(run.status == 1)
            #expect(run.errors.contains("online: the OAuth token endpoint") && run.errors.contains(said) && run.errors.contains(key), "\(run.errors)")
            #expect(fixture.leaks(in: run.output, run.errors).isEmpty)
        }
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
            #expect(run.output.contains(
                "online: logged in to \(smtp.url.absoluteString) (auth: none, no login) (EHLO, NOOP, QUIT); no TLS: the session "
                    + "ran in plain text (the relay offered no STARTTLS, and starttls is opportunistic); nothing was sent"), "\(run.output)")
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
