import Foundation

/// What one `deliverDue` did.
public struct DeliveryRound: Sendable, Equatable {
    public var sent = 0
    public var deferred = 0
    public var failed = 0
    /// Set when the relay could not be used at all; the text says what to fix.
    public var relayProblem: String?
    /// When the relay is tried again after `relayProblem`.
    public var relayRetryAt: Date?
    /// Set when `mail.rate.per_day` holds the rest back, until when.
    public var dailyCapUntil: Date?
    public var databaseError: String?

    public init(databaseError: String? = nil) {
        self.databaseError = databaseError
    }

    public var attempted: Int { sent + deferred + failed }
}
