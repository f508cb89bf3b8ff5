import Foundation

/// An OAuth 2 access token as the token endpoint issued it, with the times that decide its renewal.
/// The token itself is a `Secret`: it never shows in a description, a dump or a log line.
public struct AccessToken: Sendable, CustomStringConvertible {
    /// The bearer token handed to libcurl for XOAUTH2.
    public let bearer: Secret
    public let obtainedAt: Date
    public let expiresAt: Date

    public init(bearer: Secret, obtainedAt: Date, lifetime: TimeInterval) {
        self.bearer = bearer
        self.obtainedAt = obtainedAt
        expiresAt = obtainedAt.addingTimeInterval(lifetime)
    }

    /// When to fetch the next one: ahead of expiry, so that a token never runs out in the middle
    /// of a round. Five minutes before, or a tenth of a short lifetime.
    public var renewAt: Date {
        let lifetime = expiresAt.timeIntervalSince(obtainedAt)
        return expiresAt.addingTimeInterval(-min(300, lifetime / 10))
    }

    /// Whether the token is still good to use at `date`.
    public func isFresh(at date: Date) -> Bool {
        date < renewAt
    }

    public var description: String { "access token valid until \(expiresAt)" }
}
