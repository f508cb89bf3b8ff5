import Foundation
import Logging
import Synchronization
import TestSupport
@testable import TiedotinCore

/// An installation that sends through an XOAUTH2 relay: a token endpoint and an SMTP server with
/// STARTTLS on 127.0.0.1, both with the test CA, and the client secret in a file beside the config.
struct OAuthFixture {
    static let mailbox = "jarjestotyo@pohde.example.fi"

    let delivery: DeliveryFixture
    let tokens: TokenTestServer
    let smtp: SMTPTestServer
    let authority: TestCertificateAuthority
    /// Every secret a test must never see in an output: the client secret and the tokens.
    let secrets: [String]

    /// `secret` is what the file holds (the endpoint expects `tokens.options.clientSecret`).
    init(tokens: TokenTestServer, smtp: SMTPTestServer, authority: TestCertificateAuthority, secret: String? = nil, members: Int = 3) throws {
        self.tokens = tokens
        self.smtp = smtp
        self.authority = authority
        let options = tokens.options
        delivery = try DeliveryFixture(mail: """
              transport: smtp
              smtp:
                url: \(smtp.url.absoluteString)
                starttls: required
                auth: xoauth2
                username: \(OAuthFixture.mailbox)
                timeout: 5s
                ca_file: \(authority.caFile)
                oauth:
                  token_url: \(tokens.tokenURL)
                  client_id: \(options.clientID)
                  client_secret_file: oauth-client-secret
                  scope: \(options.scope)
            """, members: members)
        try Data((secret ?? options.clientSecret).utf8 + [10]).write(
            to: URL(fileURLWithPath: delivery.folder.appending("oauth-client-secret")))
        // The tokens also as they cross the wire: inside the base64 XOAUTH2 initial response.
        let wire = options.tokens.map {
            Data("user=\(OAuthFixture.mailbox)\u{1}auth=Bearer \($0)\u{1}\u{1}".utf8).base64EncodedString()
        }
        secrets = [options.clientSecret] + options.tokens + wire + (secret.map { [$0] } ?? [])
    }

    /// Starts a token endpoint handing out `tokens` and a relay taking the tokens in `accepting`
    /// (refusing others as `refusal` says), runs `body` with an installation using both, and stops
    /// both afterwards, also when `body` throws.
    static func with(
        tokens: [String], expiresIn: Int = 3599, answer: String? = nil,
        accepting: [String], refusal: SMTPTestServer.XOAUTH2Refusal = .microsoft,
        secret: String? = nil, members: Int = 3,
        isolation: isolated (any Actor)? = #isolation,
        _ body: (OAuthFixture) async throws -> Void
    ) async throws {
        let authority = try TestCertificateAuthority.shared()
        var options = TokenTestServer.Options()
        options.tokens = tokens
        options.expiresIn = expiresIn
        options.answer = answer
        let endpoint = try await TokenTestServer.start(options, authority: authority)
        do {
            try await withSMTPTestServer(relay(authority, accepting: accepting, refusal: refusal)) { smtp in
                try await body(OAuthFixture(tokens: endpoint, smtp: smtp, authority: authority, secret: secret, members: members))
            }
        } catch {
            await endpoint.stop()
            throw error
        }
        await endpoint.stop()
    }

    /// SMTP options for a relay that wants STARTTLS and an XOAUTH2 login with one of `tokens`.
    static func relay(_ authority: TestCertificateAuthority, accepting tokens: [String], refusal: SMTPTestServer.XOAUTH2Refusal) -> SMTPTestServer.Options {
        var options = SMTPTestServer.Options.starttls(authority, required: true)
        options.auth = .xoauth2(username: mailbox, tokens: tokens, refusal: refusal)
        options.authRequired = true
        options.authRequiresTLS = true
        return options
    }

    /// An engine over the config's XOAUTH2 transport, logging into `log`.
    func engine(clock: any WallClock = SystemClock(), log: CapturedLog) throws -> DeliveryEngine {
        let logger = log.logger()
        let transport = try TransportFactory.make(
            for: delivery.configuration.mail, secrets: Secrets(environment: [:]), clock: clock, logger: logger)
        return try DeliveryEngine(
            outbox: delivery.outbox, transport: transport, settings: .init(delivery.configuration.mail), clock: clock, logger: logger)
    }

    /// Runs the built binary with this config.
    func run(_ arguments: [String]) throws -> TiedotinBinary.Run {
        try TiedotinBinary.run(arguments + ["--config", delivery.configuration.file])
    }

    /// The texts that must never show the secret or a token.
    func leaks(in texts: String...) -> [String] {
        secrets.filter { secret in texts.contains { $0.contains(secret) } }
    }
}

/// Log lines kept in memory at every level, trace included, so a test can read all of them.
final class CapturedLog: Sendable {
    private let lines = Mutex<[String]>([])

    func logger() -> Logger {
        var logger = Logger(label: "test") { _ in Handler(log: self) }
        logger.logLevel = .trace
        return logger
    }

    var text: String { lines.withLock { $0.joined(separator: "\n") } }

    fileprivate func append(_ line: String) {
        lines.withLock { $0.append(line) }
    }

    private struct Handler: LogHandler {
        let log: CapturedLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let all = metadata.merging(event.metadata ?? [:]) { $1 }
            log.append("\(event.level) \(event.message) \(all.map { "\($0)=\($1)" }.sorted().joined(separator: " "))")
        }
    }
}
