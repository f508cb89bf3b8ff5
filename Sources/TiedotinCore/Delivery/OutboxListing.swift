import Foundation

/// A message that failed for good, for `outbox status`.
public struct FailedMessage: Sendable, Equatable {
    public var recipient: String
    public var subject: String
    public var answer: String
    public var code: Int?
    public var at: Date
}

/// A message waiting for a retry, for `outbox status`.
public struct DeferredMessage: Sendable, Equatable {
    public var recipient: String
    public var subject: String
    public var answer: String
    public var attempts: Int
    public var nextAttempt: Date
}
