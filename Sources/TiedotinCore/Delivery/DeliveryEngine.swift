import Foundation
import Logging
import Synchronization

/// Drains the outbox: hands every due message to the transport over `mail.connections`
/// connections, each on a thread of its own, and writes back what the relay answered.
///
/// Delivery never decides what to send. It takes due rows, marks them `sending` before the
/// bytes go, and marks each `sent` before the next message on the same connection is handed
/// over, so a crash repeats at most one message per connection.
public final class DeliveryEngine: Sendable {
    /// How delivery behaves; from `mail` in the config.
    public struct Settings: Sendable {
        public var connections: Int
        public var retry: Configuration.Retry
        public var rate: Configuration.Rate
        /// How many rows one claim takes; they are `sending` while they wait in memory.
        public var claimBatch: Int

        public init(connections: Int, retry: Configuration.Retry, rate: Configuration.Rate, claimBatch: Int = 16) {
            self.connections = max(1, connections)
            self.retry = retry
            self.rate = rate
            self.claimBatch = max(1, claimBatch)
        }

        /// The settings the config asks for.
        public init(_ mail: Configuration.Mail) {
            self.init(connections: mail.connections, retry: mail.retry, rate: mail.rate)
        }
    }

    private struct EngineState {
        var stopRequested = false
        /// Consecutive rounds that found the relay unusable: the backoff doubles with each.
        var relayFailures = 0
    }

    let outbox: Outbox
    public let transport: any MailTransport
    let settings: Settings
    let clock: any WallClock
    let logger: Logger
    let limiter: RateLimiter
    let retry: RetryPolicy
    let classifier: FailureClassifier
    private let state = Mutex(EngineState())

    /// Makes an engine; reads the recent hand-offs so the rate caps hold across restarts.
    public init(outbox: Outbox, transport: any MailTransport, settings: Settings, clock: any WallClock, logger: Logger) throws {
        self.outbox = outbox
        self.transport = transport
        self.settings = settings
        self.clock = clock
        self.logger = logger
        let now = clock.now
        limiter = RateLimiter(
            perMinute: settings.rate.perMinute, perDay: settings.rate.perDay,
            history: try outbox.handoffs(since: now.addingTimeInterval(-86_400)), now: now)
        retry = RetryPolicy(settings.retry)
        classifier = FailureClassifier(destination: transport.destination)
    }

    /// Asks the threads to stop after the message each has in flight; `deliverDue` then returns.
    public func requestStop() {
        state.withLock { $0.stopRequested = true }
    }

    /// Whether a stop was asked for.
    public var isStopping: Bool { state.withLock { $0.stopRequested } }

    /// The rate caps as they stand now.
    public func rateSnapshot() -> RateSnapshot {
        limiter.snapshot(now: clock.now)
    }

    /// Delivers every message due now and returns when none is left that can go now: all
    /// went, the rest wait for a retry, a cap holds them, or a stop was asked for.
    public func deliverDue(progress: (@Sendable (DeliveryRound) -> Void)? = nil) async -> DeliveryRound {
        let now = clock.now
        do {
            let givenUp = try outbox.giveUp(
                queuedBefore: now.addingTimeInterval(-settings.retry.giveUpAfter.timeInterval),
                giveUpAfter: settings.retry.giveUpAfter.configText, now: now)
            if givenUp > 0 {
                logger.warning("gave up on \(givenUp) messages after \(settings.retry.giveUpAfter.configText) of retries")
            }
        } catch {
            logger.error("cannot read the outbox: \(error)")
            return DeliveryRound(databaseError: "\(error)")
        }
        let round = DeliveryRoundState(engine: self, progress: progress)
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let group = DispatchGroup()
            for number in 1...settings.connections {
                group.enter()
                let thread = Thread { [self] in
                    DeliveryWorker(engine: self, round: round, number: number).run()
                    group.leave()
                }
                thread.name = "tiedotin-delivery-\(number)"
                thread.start()
            }
            group.notify(queue: .global()) { continuation.resume() }
        }
        return finish(round)
    }

    private func finish(_ round: DeliveryRoundState) -> DeliveryRound {
        var report = round.report()
        do {
            try outbox.release(round.takeUnsent())
            if let problem = report.relayProblem {
                let failures = state.withLock { state -> Int in
                    state.relayFailures += 1
                    return state.relayFailures
                }
                let until = clock.now.addingTimeInterval(retry.delay(afterAttempt: failures))
                let waiting = try outbox.deferAllDue(until: until, answer: problem, now: clock.now)
                report.relayRetryAt = until
                logger.error("\(problem); \(waiting) more messages wait until \(until)")
            } else if report.sent > 0 {
                state.withLock { $0.relayFailures = 0 }
            }
        } catch {
            logger.error("cannot update the outbox: \(error)")
            report.databaseError = "\(error)"
        }
        if report.attempted > 0 {
            logger.info(
                "delivery round: \(report.sent) sent, \(report.deferred) deferred, \(report.failed) failed",
                metadata: ["destination": "\(transport.destination)"])
        }
        return report
    }
}

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

/// What the threads of one round share: the claimed rows not yet taken, and the tally.
final class DeliveryRoundState: Sendable {
    private struct State {
        var waiting: [ClaimedMessage] = []
        var exhausted = false
        var report = DeliveryRound()
        var claimError: String?
    }

    private let engine: DeliveryEngine
    private let progress: (@Sendable (DeliveryRound) -> Void)?
    private let state = Mutex(State())
    /// Serialises claiming so that two idle threads do not both claim a batch.
    private let claimLock = Mutex(())
    private let bodies = Mutex([Int64: [UInt8]]())

    init(engine: DeliveryEngine, progress: (@Sendable (DeliveryRound) -> Void)?) {
        self.engine = engine
        self.progress = progress
    }

    /// The next message for a thread, claiming a new batch when the last is used up; nil when the round is over.
    func next() -> ClaimedMessage? {
        claimLock.withLock { _ in
            if let message = takeWaiting() { return message }
            let done = state.withLock { $0.exhausted || $0.report.relayProblem != nil || $0.report.dailyCapUntil != nil }
            if done || engine.isStopping { return nil }
            do {
                let claimed = try engine.outbox.claim(limit: engine.settings.claimBatch, now: engine.clock.now)
                state.withLock { state in
                    if claimed.isEmpty { state.exhausted = true }
                    state.waiting.append(contentsOf: claimed)
                }
            } catch {
                engine.logger.error("cannot claim messages from the outbox: \(error)")
                state.withLock {
                    $0.exhausted = true
                    $0.report.databaseError = "\(error)"
                }
            }
            return takeWaiting()
        }
    }

    private func takeWaiting() -> ClaimedMessage? {
        state.withLock { state in
            guard !state.waiting.isEmpty, state.report.relayProblem == nil, state.report.dailyCapUntil == nil else {
                return nil
            }
            return state.waiting.removeFirst()
        }
    }

    /// Whether threads should stop taking messages.
    var isOver: Bool {
        engine.isStopping || state.withLock { $0.report.relayProblem != nil || $0.report.dailyCapUntil != nil }
    }

    /// A claimed message a thread did not send goes back.
    func putBack(_ message: ClaimedMessage) {
        state.withLock { $0.waiting.insert(message, at: 0) }
    }

    /// Everything claimed but not tried, taken out of the round (to be released to `queued`).
    func takeUnsent() -> [Int64] {
        state.withLock { state in
            defer { state.waiting.removeAll() }
            return state.waiting.map(\.id)
        }
    }

    func count(_ verdict: AttemptResult.Verdict) {
        let report = state.withLock { state in
            switch verdict {
            case .sent: state.report.sent += 1
            case .deferred: state.report.deferred += 1
            case .failed: state.report.failed += 1
            }
            return state.report
        }
        progress?(report)
    }

    func relayUnusable(_ problem: String) {
        state.withLock { state in
            if state.report.relayProblem == nil { state.report.relayProblem = problem }
        }
    }

    func dailyCapReached(until: Date) {
        state.withLock { $0.report.dailyCapUntil = until }
    }

    func report() -> DeliveryRound {
        state.withLock { $0.report }
    }

    /// The shared body of a send, read once per round.
    func body(_ id: Int64) throws -> [UInt8] {
        if let cached = bodies.withLock({ $0[id] }) { return cached }
        let body = try engine.outbox.body(id)
        bodies.withLock { $0[id] = body }
        return body
    }
}
