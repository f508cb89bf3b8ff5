import Foundation

/// `mail.retry`: when a deferred message is tried again, and when delivery gives up on it.
struct RetryPolicy: Sendable {
    var first: Duration
    var maxInterval: Duration
    var giveUpAfter: Duration

    init(_ retry: Configuration.Retry) {
        first = retry.first
        maxInterval = retry.maxInterval
        giveUpAfter = retry.giveUpAfter
    }

    /// The wait after the `attempt`-th failed attempt (1-based): `first`, then doubling, at most `maxInterval`.
    func delay(afterAttempt attempt: Int) -> TimeInterval {
        let doubled = first.timeInterval * pow(2, Double(max(0, min(attempt - 1, 40))))
        return min(doubled, maxInterval.timeInterval)
    }

    /// Whether a message queued at `queuedAt` has waited long enough to be given up at `now`.
    func givesUp(queuedAt: Date, now: Date) -> Bool {
        now.timeIntervalSince(queuedAt) >= giveUpAfter.timeInterval
    }
}
