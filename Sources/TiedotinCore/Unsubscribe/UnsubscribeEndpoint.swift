import Foundation
import HTTPTypes
import HummingbirdCore
import NIOCore
import NIOPosix
import Logging
import ServiceLifecycle

/// The one-click unsubscribe endpoint (RFC 8058) of `serve`: an HTTP server on
/// `newsletter.unsubscribe.listen`, behind the county's reverse proxy, answering only on the path of
/// `newsletter.unsubscribe.url`. Off unless `listen` is set.
public struct UnsubscribeEndpoint: Service, CustomStringConvertible {
    /// Limits that keep a flood or a hostile client from costing more than a few requests' work.
    public struct Limits: Sendable {
        /// Requests a client may make at once ...
        public var burst: Int
        /// ... and a minute after that.
        public var perMinute: Int
        /// Open connections at most; more wait to be accepted.
        public var connections: Int
        /// A connection idle this long is closed.
        public var idleTimeout: Duration

        /// One-click POSTs come from the mailbox provider's servers, many people's from one address: the
        /// defaults let a large provider through while a flood from one address is refused.
        public init(burst: Int = 60, perMinute: Int = 60, connections: Int = 64, idleTimeout: Duration = .seconds(30)) {
            self.burst = burst
            self.perMinute = perMinute
            self.connections = connections
            self.idleTimeout = idleTimeout
        }
    }

    let host: String
    let port: Int
    let responder: UnsubscribeResponder
    let limits: Limits
    let logger: Logger
    let onListening: @Sendable (Int) -> Void

    /// The endpoint of `configuration`, or nil when `newsletter.unsubscribe.listen` (or `url`) is not set.
    /// `onListening` is told the port once the server listens (the one asked for, or the one the system
    /// chose for port 0).
    public init?(
        configuration: Configuration, store: Store, logger: Logger, clock: any WallClock = SystemClock(),
        limits: Limits = Limits(), onListening: @escaping @Sendable (Int) -> Void = { _ in }
    ) {
        let unsubscribe = configuration.newsletter.unsubscribe
        guard let listen = unsubscribe.listen, let url = unsubscribe.url,
              let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]) else { return nil }
        host = String(listen[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        self.port = port
        var logger = logger
        logger[metadataKey: "endpoint"] = "unsubscribe"
        self.logger = logger
        self.limits = limits
        self.onListening = onListening
        let mail = configuration.mail
        responder = UnsubscribeResponder(
            path: UnsubscribeEndpoint.path(of: url), store: store,
            page: UnsubscribePage(
                language: configuration.organisation.language, organisation: configuration.organisation.name,
                title: configuration.newsletter.title, contact: (mail.replyTo ?? mail.from).address),
            limiter: ClientRateLimiter(burst: limits.burst, perMinute: limits.perMinute), clock: clock, logger: logger)
    }

    public var description: String { "UnsubscribeEndpoint(\(host):\(port)\(responder.path))" }

    /// Serves until a graceful shutdown. HummingbirdCore's server alone, without Hummingbird's `Application`,
    /// whose date cache would wake the idle service every second.
    public func run() async throws {
        // The server's own lines stay out of the log unless they are warnings: they could carry a URL.
        var serverLogger = logger
        serverLogger.logLevel = max(logger.logLevel, .warning)
        let logger = self.logger, path = responder.path, onListening = self.onListening, responder = self.responder
        let seconds = Int64(limits.idleTimeout.components.seconds)
        let server = try HTTPServerBuilder.http1(configuration: HTTP1Channel.Configuration(idleTimeout: .seconds(seconds)))
            .buildServer(
                configuration: ServerConfiguration(
                    address: .hostname(host, port: port), backlog: 64,
                    availableConnectionsDelegate: MaximumAvailableConnections(limits.connections)),
                eventLoopGroup: MultiThreadedEventLoopGroup.singleton, logger: serverLogger,
                responder: { request, writer, channel in
                    var response = await responder.respond(to: request, peer: channel.remoteAddress?.ipAddress)
                    response.headers[.date] = UnsubscribeEndpoint.httpDate(Date())
                    try await writer.write(response: response.head, body: response.body)
                },
                onServerRunning: { channel in
                    logger.info("the unsubscribe endpoint listens", metadata: [
                        "address": "\(channel.localAddress.map { "\($0)" } ?? "?")", "path": "\(path)",
                    ])
                    onListening(channel.localAddress?.port ?? 0)
                })
        try await server.run()
    }

    /// The path exactly as the links carry it (percent-encoded, a trailing slash kept): what request lines hold.
    static func path(of url: URL) -> String {
        let path = URLComponents(url: url, resolvingAgainstBaseURL: false)?.percentEncodedPath ?? url.path
        return path.isEmpty ? "/" : path
    }

    /// `Date` in the IMF-fixdate form HTTP requires (RFC 9110 §5.6.7).
    static func httpDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: date)
    }
}
