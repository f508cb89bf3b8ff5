import Foundation
import Logging
import Synchronization

/// What `--wait` does: deliver what can go now and return when nothing of it is left that is due.
///
/// When this process can take the delivery lock, it sends itself; when a running service holds
/// the lock, it wakes the service (SIGUSR1) and watches the outbox instead.
public struct DeliverNow: Sendable {
    public let outbox: Outbox
    public let lockPath: String
    public let logger: Logger

    public init(outbox: Outbox, lockPath: String, logger: Logger) {
        self.outbox = outbox
        self.lockPath = lockPath
        self.logger = logger
    }

    /// Delivers (or waits for) the sends in `scope` (outbox body ids; nil for everything) and
    /// returns their counts when none is queued or sending any more.
    public func run(
        scope: [Int64]?,
        makeEngine: @Sendable () throws -> DeliveryEngine,
        progress: (@Sendable (OutboxCounts) -> Void)? = nil
    ) async throws -> OutboxCounts {
        let lock: DeliveryLock
        do {
            lock = try DeliveryLock(path: lockPath)
        } catch .held(_, let pid) {
            return try await waitForService(pid: pid, scope: scope, progress: progress)
        }
        defer { lock.release() }
        try outbox.recoverInterrupted()
        let engine = try makeEngine()
        let watched = outbox
        // Counting reads the database: at most four times a second, not once per message.
        let throttle = ProgressThrottle(interval: 0.25)
        let round = await engine.deliverDue { _ in
            guard let progress, throttle.isDue() else { return }
            if let counts = try? watched.counts(bodyIDs: scope) { progress(counts) }
        }
        if let problem = round.relayProblem { logger.error("\(problem)") }
        return try outbox.counts(bodyIDs: scope)
    }

    private func waitForService(
        pid: Int32?, scope: [Int64]?, progress: (@Sendable (OutboxCounts) -> Void)?
    ) async throws -> OutboxCounts {
        logger.notice("the running service (process \(pid.map(String.init) ?? "?")) does the sending; waiting for it")
        if let pid { kill(pid, SIGUSR1) }
        while true {
            let counts = try outbox.counts(bodyIDs: scope)
            progress?(counts)
            if counts.queued + counts.sending == 0 { return counts }
            if DeliveryLock.holder(of: lockPath) == nil {
                // The service went away mid-way; deliver the rest ourselves next time round.
                logger.warning("the service stopped before the messages went out; run the command again")
                return counts
            }
            try await Task.sleep(for: .milliseconds(250))
        }
    }
}

/// Lets a progress line through at most once per `interval`.
private final class ProgressThrottle: Sendable {
    private let interval: TimeInterval
    private let last = Mutex(Date.distantPast)

    init(interval: TimeInterval) {
        self.interval = interval
    }

    func isDue() -> Bool {
        last.withLock { last in
            let now = Date()
            guard now.timeIntervalSince(last) >= interval else { return false }
            last = now
            return true
        }
    }
}
