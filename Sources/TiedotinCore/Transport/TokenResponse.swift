import Foundation

/// Reads the token endpoint's answer (RFC 6749 §5.1 success, §5.2 error) into a token or a typed error.
enum TokenResponse {
    /// The lifetime assumed when the answer leaves out `expires_in` (RFC 6749 only recommends it).
    static let assumedLifetime: TimeInterval = 3_600

    /// `secret` is scrubbed from any text the endpoint echoes back, so that even a hostile answer
    /// cannot bring it into a message.
    static func read(
        _ answer: HTTPSFormPost.Answer, endpoint: String, secret: Secret, at now: Date
    ) throws(OAuthError) -> AccessToken {
        let object = (try? JSONSerialization.jsonObject(with: Data(answer.body))) as? [String: Any]
        guard let object else {
            throw .notJSON(endpoint: endpoint, status: answer.status, contentType: answer.contentType)
        }
        if let error = object["error"] as? String {
            let detail = (object["error_description"] as? String).map { shown($0, hiding: secret) }
            throw .refused(endpoint: endpoint, status: answer.status, error: shown(error, hiding: secret), detail: detail)
        }
        guard (200..<300).contains(answer.status) else {
            throw .noToken(endpoint: endpoint, status: answer.status, reason: "an error status without an OAuth error code")
        }
        guard let token = object["access_token"] as? String, !token.isEmpty,
              token.unicodeScalars.allSatisfy({ (0x21...0x7E).contains($0.value) }) else {
            throw .noToken(endpoint: endpoint, status: answer.status, reason: "no access_token in the answer")
        }
        let type = (object["token_type"] as? String) ?? "Bearer"
        guard type.lowercased() == "bearer" else {
            throw .noToken(endpoint: endpoint, status: answer.status, reason: "token_type is \(shown(type, hiding: secret)), XOAUTH2 needs Bearer")
        }
        // Microsoft sends a number; some endpoints send it as a string.
        let lifetime = (object["expires_in"] as? NSNumber)?.doubleValue
            ?? (object["expires_in"] as? String).flatMap(Double.init) ?? assumedLifetime
        guard lifetime > 0 else {
            throw .noToken(endpoint: endpoint, status: answer.status, reason: "expires_in is \(lifetime)")
        }
        return AccessToken(bearer: Secret(token, source: "the token endpoint \(endpoint)"), obtainedAt: now, lifetime: lifetime)
    }

    /// Server text made fit for one log line: control characters out, length capped, the secret hidden.
    static func shown(_ text: String, hiding secret: Secret) -> String {
        var line = String(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : Character($0) })
        if !secret.plainText.isEmpty { line = line.replacingOccurrences(of: secret.plainText, with: "[client secret]") }
        return line.count > 400 ? String(line.prefix(400)) + "…" : line
    }
}
