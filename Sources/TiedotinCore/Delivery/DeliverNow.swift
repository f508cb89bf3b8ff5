import Foundation
import Logging
import Synchronization

/// What `--wait` does: deliver what can go now and return when nothing of it is left that is due.
///
/// When this process can take the delivery lock, it sends itself; when another process holds
/// the lock, it wakes a running service (through its `WakeSocket`, never a signal: the holder may
/// be another command) and watches the outbox, taking over if the holder leaves mail behind.
public struct DeliverNow: Sendable {
    public let outbox: Outbox
    public let lockPath: String
    /// The running service's `WakeSocket`.
    public let wakePath: String
    public let logger: Logger

    public init(outbox: Outbox, lockPath: String, wakePath: String, logger: Logger) {
        self.outbox = outbox
        self.lockPath = lockPath
        self.wakePath = wakePath
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
            if let counts = try await waitForService(pid: pid, scope: scope, progress: progress) { return counts }
            return try await run(scope: scope, makeEngine: makeEngine, progress: progress)
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

    /// Watches the outbox while process `pid` delivers: the counts once nothing of `scope` is left,
    /// or nil when the holder let the lock go first (then this process sends the rest itself).
    private func waitForService(
        pid: Int32?, scope: [Int64]?, progress: (@Sendable (OutboxCounts) -> Void)?
    ) async throws -> OutboxCounts? {
        logger.notice("another process delivers; waiting for it", metadata: ["pid": "\(pid.map(String.init) ?? "?")"])
        WakeSocket.wake(wakePath)
        while true {
            let counts = try outbox.counts(bodyIDs: scope)
            progress?(counts)
            if counts.queued + counts.sending == 0 { return counts }
            if DeliveryLock.holder(of: lockPath) == nil { return nil }
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
