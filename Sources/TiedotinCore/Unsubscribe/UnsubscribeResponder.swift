import Foundation
import HTTPTypes
import HummingbirdCore
import Logging
import NIOCore

/// Answers the requests of the one-click unsubscribe endpoint (RFC 8058), on one path only.
///
/// A GET never unsubscribes anyone: mail security gateways and link scanners follow every link, so
/// the GET page only asks, and its button POSTs. A POST with `List-Unsubscribe=One-Click` (what mail
/// clients send) unsubscribes and is idempotent. A well-formed token nobody has gets the same answer as
/// one that exists, so the endpoint tells nobody which tokens are real.
struct UnsubscribeResponder: Sendable {
    /// The most a request body may hold: the forms mail clients send are under 300 bytes.
    static let maxBodySize = 4096

    let path: String
    let store: Store
    let page: UnsubscribePage
    let limiter: ClientRateLimiter
    let clock: any WallClock
    let logger: Logger

    /// The answer to one request; `peer` is the IP address the connection came from.
    func respond(to request: Request, peer: String?) async -> Response {
        let client = UnsubscribeResponder.client(of: request, peer: peer)
        guard limiter.allow(client, now: clock.now) else {
            logger.notice("too many requests; answered 429", metadata: ["client": "\(client)"])
            var response = html(.tooMany, status: .tooManyRequests)
            response.headers[.retryAfter] = "\(limiter.retryAfter)"
            return response
        }
        guard request.uri.path == path else {
            return Response(status: .notFound, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: "Not found\n")))
        }
        let token = request.uri.queryParameters["token"].map(String.init)
        switch request.method {
        case .get, .head:
            guard let token, SubscriberToken.isWellFormed(token) else { return html(.invalidLink, status: .badRequest) }
            let response = html(.confirm(action: path + "?token=" + token.lowercased()), status: .ok)
            return request.method == .head ? response.createHeadResponse() : response
        case .post:
            return await post(request, token: token, client: client)
        default:
            var response = Response(status: .methodNotAllowed, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: "Method not allowed\n")))
            response.headers[.allow] = "GET, HEAD, POST"
            return response
        }
    }

    private func post(_ request: Request, token: String?, client: String) async -> Response {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > UnsubscribeResponder.maxBodySize {
            return html(.invalidRequest, status: .contentTooLarge, close: true)
        }
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: UnsubscribeResponder.maxBodySize)
        } catch {
            return html(.invalidRequest, status: .contentTooLarge, close: true)
        }
        guard let token, SubscriberToken.isWellFormed(token) else { return html(.invalidLink, status: .badRequest) }
        guard let form = OneClickForm(body: Array(buffer: body), contentType: request.headers[.contentType]), form.isOneClick else {
            return html(.invalidRequest, status: .badRequest)
        }
        let source: UnsubscribeSource = form.fromPage ? .web : .oneClick
        var metadata: Logger.Metadata = ["token": "\(SubscriberToken.masked(token))", "source": "\(source.rawValue)"]
        do {
            if let done = try store.unsubscribe(token: token, source: source, at: clock.now) {
                metadata["recipient"] = "\(done.emailKey)"
                logger.info(done.changed ? "unsubscribed" : "unsubscribed before; nothing changed", metadata: metadata)
            } else {
                metadata["client"] = "\(client)"
                logger.notice("an unsubscribe with a token nobody has; answered as if done", metadata: metadata)
            }
        } catch {
            metadata["error"] = "\(error)"
            logger.error("cannot record an unsubscribe; the person is asked to try again", metadata: metadata)
            return html(.unavailable, status: .serviceUnavailable)
        }
        return html(.done, status: .ok)
    }

    private func html(_ kind: UnsubscribePage.Kind, status: HTTPResponse.Status, close: Bool = false) -> Response {
        var headers: HTTPFields = [
            .contentType: "text/html; charset=utf-8",
            .cacheControl: "no-store",
            .contentSecurityPolicy: "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
            .xContentTypeOptions: "nosniff",
            .referrerPolicy: "no-referrer",
        ]
        // After an oversized body, the rest of it is not read: the connection cannot be reused.
        if close { headers[.connection] = "close" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: page.html(kind))))
    }

    /// Whom the rate limit counts a request against: the peer, or behind a reverse proxy on the loopback
    /// address, the client the proxy names (`X-Real-IP`, else the last `X-Forwarded-For` entry).
    static func client(of request: Request, peer: String?) -> String {
        let peer = peer ?? "unknown"
        guard peer == "127.0.0.1" || peer == "::1" || peer.hasPrefix("::ffff:127.") else { return peer }
        if let real = request.headers[.xRealIP]?.trimmingCharacters(in: .whitespaces), !real.isEmpty { return real }
        if let forwarded = request.headers[.xForwardedFor]?.split(separator: ",").last?.trimmingCharacters(in: .whitespaces),
           !forwarded.isEmpty {
            return forwarded
        }
        return peer
    }
}

extension HTTPField.Name {
    static let xRealIP = HTTPField.Name("X-Real-IP")!
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
    static let xContentTypeOptions = HTTPField.Name("X-Content-Type-Options")!
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
}
