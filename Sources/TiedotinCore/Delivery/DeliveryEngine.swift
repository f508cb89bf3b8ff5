import Foundation
import Logging
import Synchronization

/// Drains the outbox: hands every due message to the transport over `mail.connections`
/// connections, each on a thread of its own, and writes back what the relay answered.
///
/// Delivery never decides what to send. It takes due rows (a claim changes none, see
/// `DeliveryRoundState`) and keeps what became of each (`ResultJournal`) before the next message
/// on the same connection starts, so a crash repeats at most one message per connection. The
/// results of all connections go into the database together (`ResultWriter`), one transaction for many.
public final class DeliveryEngine: Sendable {
    /// How delivery behaves; from `mail` in the config.
    public struct Settings: Sendable {
        public var connections: Int
        public var retry: Configuration.Retry
        public var rate: Configuration.Rate
        /// How many rows one claim reads ahead of the connections (a claim changes no row).
        public var claimBatch: Int
        /// Whether a thread of its own claims ahead of the connections, when a core is idle. Without
        /// it the connections claim for themselves, as they do when that thread gets no core on a
        /// busy machine; the tests take that path this way.
        var claimsAhead = true

        public init(connections: Int, retry: Configuration.Retry, rate: Configuration.Rate, claimBatch: Int = 16) {
            self.connections = max(1, connections)
            self.retry = retry
            self.rate = rate
            self.claimBatch = max(1, claimBatch)
        }

        /// The settings the config asks for. A claim reads 64 rows per connection and at least 256:
        /// each read transaction costs about as much as reading a hundred rows in it, and rows read
        /// ahead and not sent when a round ends cost nothing, since a claim changes no row. More
        /// costs memory for little: at four connections 512 rows saved the claimer a third of its
        /// CPU (about 14 ms in 10,000 messages) and held 400 KiB more at the send's peak.
        public init(_ mail: Configuration.Mail) {
            self.init(connections: mail.connections, retry: mail.retry, rate: mail.rate, claimBatch: max(256, 64 * max(1, mail.connections)))
        }
    }

    private struct EngineState {
        /// Consecutive rounds that found the relay unusable: the backoff doubles with each.
        var relayFailures = 0
    }

    let outbox: Outbox
    public let transport: any MailTransport
    let settings: Settings
    let clock: any WallClock
    let logger: Logger
    /// The rate caps, made from the outbox's hand-offs of the last 24 hours when first needed: that
    /// read scans the whole outbox, and a starting service should not keep systemd waiting for it.
    private let rateLimiter = Mutex<RateLimiter?>(nil)
    let retry: RetryPolicy
    let classifier: FailureClassifier
    private let state = Mutex(EngineState())
    /// Every connection asks before each message: an atomic, not a lock all of them take.
    private let stopRequested = Atomic(false)

    /// Makes an engine. The rate caps hold across restarts: their first use reads the recent hand-offs.
    public init(outbox: Outbox, transport: any MailTransport, settings: Settings, clock: any WallClock, logger: Logger) throws {
        self.outbox = outbox
        self.transport = transport
        self.settings = settings
        self.clock = clock
        self.logger = logger
        retry = RetryPolicy(settings.retry)
        classifier = FailureClassifier(destination: transport.destination)
    }

    /// Asks the threads to stop after the message each has in flight; `deliverDue` then returns.
    public func requestStop() {
        stopRequested.store(true, ordering: .releasing)
    }

    /// Whether a stop was asked for.
    public var isStopping: Bool { stopRequested.load(ordering: .acquiring) }

    /// The rate caps as they stand now.
    public func rateSnapshot() throws -> RateSnapshot {
        try limiter().snapshot(now: clock.now)
    }

    /// The rate caps, read from the outbox the first time.
    func limiter() throws -> RateLimiter {
        try rateLimiter.withLock { limiter in
            if let limiter { return limiter }
            let now = clock.now
            let made = RateLimiter(
                perMinute: settings.rate.perMinute, perDay: settings.rate.perDay,
                history: try outbox.handoffs(since: now.addingTimeInterval(-86_400)), now: now)
            limiter = made
            return made
        }
    }

    /// Delivers every message due now and returns when none is left that can go now: all
    /// went, the rest wait for a retry, a cap holds them, or a stop was asked for.
    public func deliverDue(progress: (@Sendable (DeliveryRound) -> Void)? = nil) async -> DeliveryRound {
        let now = clock.now
        let limiter: RateLimiter
        do {
            limiter = try self.limiter()
            let givenUp = try outbox.giveUp(
                queuedBefore: now.addingTimeInterval(-settings.retry.giveUpAfter.timeInterval),
                giveUpAfter: settings.retry.giveUpAfter.configText, now: now)
            if givenUp > 0 {
                logger.warning("gave up on messages after give_up_after", metadata: [
                    "count": "\(givenUp)", "give_up_after": "\(settings.retry.giveUpAfter.configText)",
                ])
            }
        } catch {
            logger.error("cannot read the outbox", metadata: ["problem": "\(error)"])
            return DeliveryRound(databaseError: "\(error)")
        }
        let round = DeliveryRoundState(engine: self, limiter: limiter, progress: progress)
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let group = DispatchGroup()
            for number in 1...settings.connections {
                group.enter()
                NamedThread.start("delivery-\(number)") { [self] in
                    DeliveryWorker(engine: self, round: round, number: number).run()
                    group.leave()
                }
            }
            group.notify(queue: .global()) { continuation.resume() }
        }
        return finish(round)
    }

    /// Runs a write, trying again while the database is busy (another process's long transaction)
    /// for as long as it takes. Only a stop ends the trying early, after `stopGrace` more seconds;
    /// `unwritten` tells the admin what then becomes of it. Returns whether it was written.
    func writeWhenPossible(_ what: String, unwritten: String, logger: Logger, _ write: () throws -> Void) -> Bool {
        var failures = 0
        var stopSeen: Date?
        while true {
            do {
                try write()
                if failures > 0 { logger.notice("\(what) is written to the outbox after \(failures) failed tries") }
                return true
            } catch {
                failures += 1
                if failures == 1 {
                    logger.error("cannot write \(what) to the outbox yet (\(error)); trying again until it is written")
                }
                let now = clock.now
                if isStopping {
                    let since = stopSeen ?? now
                    stopSeen = since
                    if now.timeIntervalSince(since) >= DeliveryEngine.stopGrace {
                        logger.critical("stopping with \(what) unwritten (\(error)); \(unwritten)")
                        return false
                    }
                }
                clock.sleep(until: now.addingTimeInterval(min(1, 0.05 * Double(failures))))
            }
        }
    }

    /// How long a stopping service keeps trying to write what it owes the outbox.
    static let stopGrace: TimeInterval = 10

    private func finish(_ round: DeliveryRoundState) -> DeliveryRound {
        var report = round.report()
        if !round.writer.finish() {
            report.databaseError = "cannot write the delivery results"
        }
        round.endClaims()
        do {
            if let problem = report.relayProblem {
                let failures = state.withLock { state -> Int in
                    state.relayFailures += 1
                    return state.relayFailures
                }
                let until = clock.now.addingTimeInterval(retry.delay(afterAttempt: failures))
                let waiting = try outbox.deferAllDue(until: until, answer: problem, now: clock.now)
                report.relayRetryAt = until
                logger.error("the relay cannot be used; the queue waits", metadata: [
                    "problem": "\(problem)", "waiting": "\(waiting)", "until": "\(until.ISO8601Format())",
                ])
            } else if report.sent > 0 {
                state.withLock { $0.relayFailures = 0 }
            }
        } catch {
            logger.error("cannot update the outbox", metadata: ["problem": "\(error)"])
            report.databaseError = "\(error)"
        }
        if report.attempted > 0 {
            logger.info("delivery round done", metadata: [
                "destination": "\(transport.destination)", "sent": "\(report.sent)",
                "deferred": "\(report.deferred)", "failed": "\(report.failed)",
            ])
        }
        return report
    }
}
