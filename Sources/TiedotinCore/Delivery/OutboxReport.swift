import Foundation

/// Everything `outbox status` and `status` say about delivery, gathered from the database.
public struct OutboxReport: Sendable {
    public var counts: OutboxCounts
    public var failed: [FailedMessage]
    public var deferred: [DeferredMessage]
    public var nextAttempt: Date?
    public var rate: RateSnapshot
    public var lastError: (message: String, at: Date)?

    /// Reads the report; the rate caps are counted from the hand-offs the outbox remembers.
    public init(outbox: Outbox, rate: Configuration.Rate, now: Date) throws {
        counts = try outbox.counts()
        failed = try outbox.failures()
        deferred = try outbox.deferred()
        nextAttempt = try outbox.nextAttempt()
        let limiter = RateLimiter(
            perMinute: rate.perMinute, perDay: rate.perDay,
            history: try outbox.handoffs(since: now.addingTimeInterval(-86_400)), now: now)
        self.rate = limiter.snapshot(now: now)
        lastError = try outbox.lastError()
    }

    /// The `outbox status --json` document.
    public func json(_ time: Timestamp) -> [String: Any] {
        [
            "counts": OutboxReport.countsJSON(counts),
            "failed": failed.map { message in
                ["recipient": message.recipient, "subject": message.subject, "answer": message.answer, "at": time.iso8601(message.at)]
            },
            "deferred": deferred.map { message in
                [
                    "recipient": message.recipient, "subject": message.subject, "answer": message.answer,
                    "attempts": message.attempts, "next_attempt": time.iso8601(message.nextAttempt),
                ] as [String: Any]
            },
            "next_attempt": nextAttempt.map(time.iso8601) ?? NSNull(),
            "rate": [
                "per_minute": rate.perMinute, "per_day": rate.perDay,
                "last_minute": rate.lastMinute, "last_day": rate.lastDay,
                "held_until": rate.heldUntil.map(time.iso8601) ?? NSNull(),
            ] as [String: Any],
            "last_error": lastError?.message ?? NSNull(),
        ]
    }

    /// `COUNTS` of the JSON contract.
    public static func countsJSON(_ counts: OutboxCounts) -> [String: Int] {
        ["queued": counts.queued, "deferred": counts.deferred, "sending": counts.sending, "sent": counts.sent, "failed": counts.failed]
    }

    /// The report as the admin reads it in a terminal.
    public func text(_ time: Timestamp, destination: String) -> String {
        var lines = ["Outbox → \(destination)"]
        lines.append("  queued \(counts.queued), deferred \(counts.deferred), sending \(counts.sending), sent \(counts.sent), failed \(counts.failed)")
        if let nextAttempt { lines.append("  next attempt: \(time.readable(nextAttempt))") }
        let minute = rate.perMinute == 0 ? "no cap" : "\(rate.perMinute)/min"
        let day = rate.perDay == 0 ? "no cap" : "\(rate.perDay)/day"
        lines.append("  rate: \(minute) (\(rate.lastMinute) in the last minute), \(day) (\(rate.lastDay) in the last 24 h)")
        if let held = rate.heldUntil { lines.append("  a rate cap holds mail back until \(time.readable(held))") }
        if let lastError { lines.append("  last error (\(time.readable(lastError.at))): \(lastError.message)") }
        if !deferred.isEmpty {
            lines.append("Waiting for a retry:")
            for message in deferred {
                lines.append("  \(message.recipient) — \"\(message.subject)\" — attempt \(message.attempts), next \(time.readable(message.nextAttempt)): \(message.answer)")
            }
        }
        if !failed.isEmpty {
            lines.append("Failed (use `tiedotin outbox retry --failed` to try again):")
            for message in failed {
                lines.append("  \(message.recipient) — \"\(message.subject)\" — \(time.readable(message.at)): \(message.answer)")
            }
        }
        return lines.joined(separator: "\n")
    }
}
