import Foundation

/// What `tiedotin status` and systemd's `STATUS=` line say: the queue, the rate caps, the next due
/// work, the drop folder's waiting files, the last error and the running service.
public struct ServiceStatus: Sendable {
    /// The queue as `outbox status` shows it.
    public var outbox: OutboxReport
    public var counts: OutboxCounts { outbox.counts }
    public var nextDelivery: Date? { outbox.nextAttempt }
    public var lastError: (message: String, at: Date)? { outbox.lastError }
    public var nextEdition: Date?
    public var incoming: Int
    /// The process holding the delivery lock (a `serve`, or a command delivering with `--wait`).
    public var deliveringPID: Int32?
    /// Whether a running `serve` listens for wakes (the holder is the service, not a command).
    public var serviceListens: Bool

    /// Reads the status from the store and the drop folder; sends nothing, changes nothing.
    public init(configuration: Configuration, store: Store, now: Date) throws {
        outbox = try OutboxReport(outbox: Outbox(store: store), rate: configuration.mail.rate, now: now)
        nextEdition = try? NewsletterSchedule(configuration).nextEdition(after: now)
        incoming = ServiceStatus.waitingFiles(in: configuration.paths.dropFolder)
        deliveringPID = DeliveryLock.holder(of: configuration.paths.lockFile)
        serviceListens = deliveringPID != nil && FileManager.default.fileExists(atPath: configuration.paths.wakeSocket)
    }

    /// The next thing due: a delivery attempt or an edition, whichever comes first.
    public var nextDue: (what: String, at: Date)? {
        let candidates = [nextDelivery.map { ("delivery", $0) }, nextEdition.map { ("edition", $0) }].compactMap { $0 }
        return candidates.min { $0.1 < $1.1 }
    }

    /// The one line of systemd's `STATUS=`.
    public func line(_ time: Timestamp) -> String {
        var parts = ["queue \(counts.queued + counts.sending) (\(counts.deferred) deferred, \(counts.failed) failed)"]
        if let next = nextDue { parts.append("next \(next.what) \(time.readable(next.at))") }
        if incoming > 0 { parts.append("\(incoming) waiting in incoming/") }
        if let lastError { parts.append("last error: \(lastError.message)") }
        return parts.joined(separator: "; ")
    }

    /// The `status --json` document (DESIGN's fields, and more).
    public func json(_ time: Timestamp) -> [String: Any] {
        [
            "next_edition": nextEdition.map(time.iso8601) ?? NSNull(),
            "next_delivery": nextDelivery.map(time.iso8601) ?? NSNull(),
            "queue": OutboxReport.countsJSON(counts),
            "incoming": incoming,
            "last_error": lastError?.message ?? NSNull(),
            "service_pid": deliveringPID.map { Int($0) as Any } ?? NSNull(),
            "service_running": serviceListens,
            "rate": outbox.json(time)["rate"] ?? NSNull(),
        ]
    }

    /// The lines of `tiedotin status`.
    public func text(_ time: Timestamp, organisation: String, destination: String) -> [String] {
        var lines = ["tiedotin — \(organisation)"]
        switch (deliveringPID, serviceListens) {
        case (let pid?, true): lines.append("  service: running (process \(pid))")
        case (let pid?, false): lines.append("  service: not running; process \(pid) is delivering (a command with --wait, or a serve starting up)")
        case (nil, _): lines.append("  service: not running")
        }
        if let nextEdition { lines.append("  next edition: \(time.readable(nextEdition))") }
        lines.append("  outbox: \(counts.queued) queued, \(counts.deferred) deferred, \(counts.sending) sending, \(counts.sent) sent, \(counts.failed) failed")
        if let nextDelivery { lines.append("  next delivery attempt: \(time.readable(nextDelivery))") }
        lines += outbox.text(time, destination: destination).split(separator: "\n").map(String.init)
            .filter { $0.hasPrefix("  rate:") || $0.hasPrefix("  a rate cap") }
        lines.append("  drop folder: \(incoming) files in incoming/")
        if let lastError { lines.append("  last error (\(time.readable(lastError.at))): \(lastError.message)") }
        return lines
    }

    /// Files in `incoming/` that intake will take (not hidden or temporary names).
    public static func waitingFiles(in dropFolder: String) -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dropFolder + "/incoming")) ?? []
        return names.filter { name in
            !(name.hasPrefix(".") || name.hasPrefix("~") || name.hasSuffix(".tmp") || name.hasSuffix(".part"))
        }.count
    }
}
