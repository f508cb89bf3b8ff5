import Foundation
import Testing
import TestSupport
@testable import TiedotinCore

/// The client-credentials grant (RFC 6749 §4.4) against a real HTTPS endpoint on 127.0.0.1.
@Suite(.serialized) struct OAuthTokenClientTests {
    func client(
        _ server: TokenTestServer, secret: String? = nil, scope: String? = nil, clock: any WallClock, log: CapturedLog
    ) throws -> OAuthTokenClient {
        let options = server.options
        return OAuthTokenClient(
            settings: Configuration.OAuth(
                tokenURL: URL(string: server.tokenURL)!, clientID: options.clientID, clientSecretFile: nil,
                scope: scope ?? options.scope),
            clientSecret: Secret(secret ?? options.clientSecret, source: "test"), caFile: try TestCertificateAuthority.shared().caFile,
            timeout: .seconds(5), clock: clock, logger: log.logger())
    }

    @Test func theFirstTokenComesFromAFormPostAndIsKept() async throws {
        let server = try await TokenTestServer.start(authority: try .shared())
        let log = CapturedLog()
        let client = try client(server, clock: ManualClock(), log: log)
        let first = try client.token()
        let again = try client.token()
        #expect(first.bearer.plainText == server.options.tokens[0])
        #expect(again.bearer.plainText == first.bearer.plainText)
        let requests = try server.requests()
        #expect(requests.count == 1, "a token still good is not asked for again")
        // RFC 6749 §4.4.2: grant_type=client_credentials, form-encoded (Appendix B), over TLS.
        #expect(requests[0].contentType == "application/x-www-form-urlencoded")
        #expect(requests[0].grantType == "client_credentials")
        #expect(requests[0].clientID == server.options.clientID)
        #expect(requests[0].scope == "https://outlook.office365.com/.default")
        #expect(requests[0].secretOK, "the secret with its ~ and non-ASCII letters arrives intact")
        #expect(requests[0].path == "/pohde.example.fi/oauth2/v2.0/token")
        #expect("\(first)".contains("valid until"))
        #expect(!"\(first)".contains(first.bearer.plainText))
        #expect(log.text.contains("obtained an OAuth access token"))
        #expect(!log.text.contains(first.bearer.plainText) && !log.text.contains(server.options.clientSecret))
        await server.stop()
    }

    @Test func aTokenIsRenewedAheadOfItsExpiry() async throws {
        var options = TokenTestServer.Options()
        options.tokens = ["token-ensimmainen", "token-toinen"]
        options.expiresIn = 3600
        let server = try await TokenTestServer.start(options, authority: try .shared())
        let clock = ManualClock()
        let client = try client(server, clock: clock, log: CapturedLog())
        #expect(try client.token().bearer.plainText == "token-ensimmainen")
        clock.advance(by: 3_000)
        #expect(try client.token().bearer.plainText == "token-ensimmainen", "55 minutes in, the hour-long token still serves")
        clock.advance(by: 400)
        #expect(try client.token().bearer.plainText == "token-toinen", "within five minutes of expiry a new one is fetched")
        #expect(try server.requests().count == 2)
        await server.stop()
    }

    @Test func connectionsAskingAtOnceShareOneRequest() async throws {
        let server = try await TokenTestServer.start(authority: try .shared())
        let client = try client(server, clock: ManualClock(), log: CapturedLog())
        let results = await withTaskGroup(of: String?.self) { group in
            for _ in 0..<6 {
                group.addTask { try? client.token().bearer.plainText }
            }
            return await group.reduce(into: [String?]()) { $0.append($1) }
        }
        #expect(results.allSatisfy { $0 == server.options.tokens[0] })
        #expect(try server.requests().count == 1)
        await server.stop()
    }

    @Test func aRefusedTokenIsReplacedOnceEvenWhenManyConnectionsReportIt() async throws {
        var options = TokenTestServer.Options()
        options.tokens = ["token-peruttu", "token-uusi", "token-kolmas"]
        let server = try await TokenTestServer.start(options, authority: try .shared())
        let client = try client(server, clock: ManualClock(), log: CapturedLog())
        let refused = try client.token()
        let renewed = try client.renew(replacing: refused)
        let secondReport = try client.renew(replacing: refused)
        #expect(renewed.bearer.plainText == "token-uusi")
        #expect(secondReport.bearer.plainText == "token-uusi", "a connection that saw the old token refused takes the new one")
        #expect(try server.requests().count == 2)
        await server.stop()
    }

    @Test(arguments: [
        ("wrong secret", "AADSTS7000215", "mail.smtp.oauth.client_secret_file"),
        ("unauthorized_client", "unauthorized_client", "mail.smtp.oauth.client_id"),
        ("wrong scope", "invalid_scope", "mail.smtp.oauth.scope"),
        ("not_json", "not JSON", "mail.smtp.oauth.token_url"),
    ])
    func endpointRefusalsNameTheKeyToFix(_ situation: String, _ said: String, _ key: String) async throws {
        var options = TokenTestServer.Options()
        if ["not_json", "unauthorized_client"].contains(situation) { options.answer = situation }
        if situation == "wrong scope" { options.scope = "https://graph.microsoft.com/.default" }
        let server = try await TokenTestServer.start(options, authority: try .shared())
        let wrongSecret = "väärä-salaisuus-123"
        let log = CapturedLog()
        let client = try client(
            server, secret: situation == "wrong secret" ? wrongSecret : nil,
            scope: situation == "wrong scope" ? "https://outlook.office365.com/.default" : nil, clock: ManualClock(), log: log)
        do {
            _ = try client.token()
            Issue.record("a token came though the endpoint refused")
        } catch {
            #expect(error.description.contains(said), "\(error)")
            #expect(error.description.contains(key), "\(error)")
            #expect(error.key == key)
            #expect(error.description.contains("stays queued"))
            #expect(!error.description.contains(wrongSecret) && !error.description.contains(options.clientSecret))
        }
        await server.stop()
    }

    @Test func anEndpointThatQuotesTheSecretBackDoesNotGetItIntoTheMessage() async throws {
        var options = TokenTestServer.Options()
        options.answer = "echo_secret"
        let server = try await TokenTestServer.start(options, authority: try .shared())
        let client = try client(server, clock: ManualClock(), log: CapturedLog())
        do {
            _ = try client.token()
            Issue.record("a token came though the endpoint refused")
        } catch {
            #expect(error.description.contains("AADSTS900144: bad request body; client_secret=[client secret]"), "\(error)")
            #expect(!error.description.contains(options.clientSecret))
        }
        await server.stop()
    }

    @Test func anUnreachableEndpointAndAnUntrustedCertificateAreToldApart() async throws {
        let server = try await TokenTestServer.start(authority: try .shared())
        let url = server.tokenURL
        await server.stop()
        let settings = Configuration.OAuth(
            tokenURL: URL(string: url)!, clientID: "x", clientSecretFile: nil, scope: "https://outlook.office365.com/.default")
        let down = OAuthTokenClient(
            settings: settings, clientSecret: Secret("s", source: "test"), caFile: try TestCertificateAuthority.shared().caFile,
            timeout: .seconds(5), clock: ManualClock(), logger: CapturedLog().logger())
        #expect(throws: OAuthError.self) { try down.token() }
        do { _ = try down.token() } catch {
            #expect(error.description.hasPrefix("cannot reach the OAuth token endpoint https://127.0.0.1:"), "\(error)")
            #expect(error.key == "mail.smtp.oauth.token_url")
        }

        let running = try await TokenTestServer.start(authority: try .shared())
        let untrusting = OAuthTokenClient(
            settings: Configuration.OAuth(
                tokenURL: URL(string: running.tokenURL)!, clientID: "x", clientSecretFile: nil, scope: "s"),
            clientSecret: Secret("s", source: "test"), caFile: "/etc/ssl/certs/ca-certificates.crt",
            timeout: .seconds(5), clock: ManualClock(), logger: CapturedLog().logger())
        do {
            _ = try untrusting.token()
            Issue.record("a certificate from an unknown CA was trusted")
        } catch {
            #expect(error.key == "mail.smtp.ca_file", "\(error)")
        }
        #expect(try running.requests().isEmpty, "nothing, and no secret, went to a server that was not trusted")
        await running.stop()
    }
}
