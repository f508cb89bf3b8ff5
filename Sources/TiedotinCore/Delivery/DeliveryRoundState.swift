import Foundation
import MIME
import Synchronization

/// What the threads of one round share: the claimed rows not yet taken, and the tally.
///
/// Rows are claimed on a thread of its own, a batch ahead of the connections: a connection takes
/// the next message without waiting for the database, and no connection waits while another claims.
/// That thread runs only when a core is otherwise idle (`NamedThread.runOnlyWhenIdle`): while the
/// connections keep the cores busy waking for the relay's answers, a claim at their priority took
/// a core from them or from the relay for its whole batch (BENCHMARKS.md, the seventh round). On a
/// machine busy with other work such a thread may not run for a long time, so a connection that
/// finds few messages waiting (or none) claims the next batch itself, at its own priority.
///
/// A claim changes no row (`Outbox.claim`): the round itself makes sure each row goes to one
/// connection, by a cursor through the due order and by the ids whose results are not written yet.
/// When two claims start from the same cursor (the claimer's and a connection's), the one that
/// ends second is dropped: its rows are the same ones, or rows whose results the database may have
/// had meanwhile, read in an older snapshot.
final class DeliveryRoundState: @unchecked Sendable {
    // Every stored property below the condition is read and changed only while holding it.
    private let condition = NSCondition()
    private var waiting: [ClaimedMessage] = []
    /// Where the next message in `waiting` is: taking one must not shift the whole batch.
    private var nextWaiting = 0
    /// The last claim found nothing due, or could not be made.
    private var exhausted = false
    /// How many claims have landed: a claim that finds this moved since it started is dropped.
    private var claimsLanded = 0
    /// A connection is claiming: the others wait for it rather than claim the same rows.
    private var connectionClaiming = false
    /// The round is over (`endClaims`): no claim adds anything more.
    private var claimsClosed = false
    /// Where the next claim starts: after the last row claimed.
    private var cursor: Outbox.ClaimCursor?
    private var tally = DeliveryRound()

    private let engine: DeliveryEngine
    private let progress: (@Sendable (DeliveryRound) -> Void)?
    private let bodies = Mutex([Int64: [UInt8]]())
    /// Shared bodies taken apart around their placeholders, by body id and placeholder names.
    private let personalisable = Mutex([String: PersonalisedEntity]())
    /// Rows taken this round whose results the database does not have yet. A row among them that
    /// a claim meets again (`outbox retry` made it due anew while it was on the wire) is not taken twice.
    private let unwritten: UnwrittenRows
    /// A new claim starts when fewer than this many claimed messages wait.
    private let refillBelow: Int
    /// A connection claims itself when fewer than this many wait: the claimer has not had a core.
    private let claimHereBelow: Int

    /// Keeps the results of every connection and writes them, several in one transaction.
    let writer: ResultWriter
    /// The engine's rate caps, shared by every connection.
    let limiter: RateLimiter

    init(engine: DeliveryEngine, limiter: RateLimiter, progress: (@Sendable (DeliveryRound) -> Void)?) {
        self.engine = engine
        self.limiter = limiter
        self.progress = progress
        refillBelow = max(engine.settings.connections * 2, engine.settings.claimBatch / 2)
        claimHereBelow = max(engine.settings.connections * 4, refillBelow / 4)
        let unwritten = UnwrittenRows()
        self.unwritten = unwritten
        writer = ResultWriter(journalPath: engine.outbox.journalPath, logger: engine.logger) { batch in
            var ids: [Int64] = []
            let written = engine.writeWhenPossible(
                "the delivery results", unwritten: "the next start takes them from the results journal (without one, it sends those messages again)",
                logger: engine.logger
            ) { ids = try engine.outbox.record(batch) }
            if written { unwritten.remove(ids) }
            return written
        }
        if engine.settings.claimsAhead {
            NamedThread.start("claims") { [self] in runClaimer() }
        }
    }

    /// The next message for a thread; nil when the round is over.
    func next() -> ClaimedMessage? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if isOverLocked { return nil }
            if nextWaiting < waiting.count {
                let message = waiting[nextWaiting]
                nextWaiting += 1
                let left = waiting.count - nextWaiting
                if left < refillBelow { condition.broadcast() }
                // The claimer has not got a core in time: this connection claims, while the others go on.
                if left < claimHereBelow, !exhausted, !connectionClaiming { claimOnThisConnection() }
                return message
            }
            if exhausted { return nil }
            if !connectionClaiming {
                claimOnThisConnection()
                continue
            }
            // Timed, so that a stop asked of the engine is noticed.
            _ = condition.wait(until: Date().addingTimeInterval(0.1))
        }
    }

    /// Claims a batch whenever the messages waiting run low, until a claim finds nothing or the round is over.
    private func runClaimer() {
        NamedThread.runOnlyWhenIdle()
        condition.lock()
        defer { condition.unlock() }
        while !exhausted, !isOverLocked, !claimsClosed {
            // The first batch is a connection's (nothing waits yet, and a second claim of the same
            // rows would only add to the send's memory), and so is one a connection is making now.
            guard claimsLanded > 0, !connectionClaiming, waiting.count - nextWaiting < refillBelow else {
                _ = condition.wait(until: Date().addingTimeInterval(0.1))
                continue
            }
            claimNextBatch()
        }
    }

    /// A connection's own claim, at its priority; the other connections wait for it rather than claim the same rows.
    private func claimOnThisConnection() {
        connectionClaiming = true
        claimNextBatch()
        connectionClaiming = false
    }

    /// Claims the rows after the cursor and adds them to those waiting. Called holding the
    /// condition, which it lets go while it reads the database.
    private func claimNextBatch() {
        let after = cursor
        let landedBefore = claimsLanded
        condition.unlock()
        let claimed: Result<[ClaimedMessage], any Error> = Result {
            try engine.outbox.claim(limit: engine.settings.claimBatch, now: engine.clock.now, after: after)
        }
        condition.lock()
        guard claimsLanded == landedBefore, !claimsClosed else { return }
        claimsLanded += 1
        switch claimed {
        case .success(let messages):
            if messages.isEmpty { exhausted = true }
            if let last = messages.last { cursor = Outbox.ClaimCursor(dueAt: last.dueAt, id: last.id) }
            waiting.removeFirst(nextWaiting)
            nextWaiting = 0
            waiting += unwritten.take(messages)
        case .failure(let error):
            engine.logger.error("cannot claim messages from the outbox", metadata: ["problem": "\(error)"])
            exhausted = true
            tally.databaseError = "\(error)"
        }
        condition.broadcast()
    }

    /// Whether threads should stop taking messages.
    var isOver: Bool {
        condition.lock()
        defer { condition.unlock() }
        return isOverLocked
    }

    private var isOverLocked: Bool {
        engine.isStopping || tally.relayProblem != nil || tally.dailyCapUntil != nil
    }

    /// A claimed message a thread did not send goes back.
    func putBack(_ message: ClaimedMessage) {
        condition.lock()
        defer { condition.unlock() }
        if nextWaiting > 0 {
            nextWaiting -= 1
            waiting[nextWaiting] = message
        } else {
            waiting.insert(message, at: 0)
        }
    }

    /// Ends the round's claims and drops what was claimed that no connection tried: those rows
    /// were never changed, and the next round takes them. It does not wait for the claimer's
    /// thread, which runs only when a core is idle and on a busy machine may take a while to
    /// notice; a claim of its that lands later is dropped.
    func endClaims() {
        condition.lock()
        defer { condition.unlock() }
        claimsClosed = true
        condition.broadcast()
        waiting.removeAll()
        nextWaiting = 0
    }

    func count(_ verdict: AttemptResult.Verdict) {
        condition.lock()
        switch verdict {
        case .sent: tally.sent += 1
        case .deferred: tally.deferred += 1
        case .failed: tally.failed += 1
        }
        guard let progress else {
            condition.unlock()
            return
        }
        let report = tally
        condition.unlock()
        progress(report)
    }

    func relayUnusable(_ problem: String) {
        condition.lock()
        defer { condition.unlock() }
        if tally.relayProblem == nil { tally.relayProblem = problem }
        condition.broadcast()
    }

    func dailyCapReached(until: Date) {
        condition.lock()
        defer { condition.unlock() }
        tally.dailyCapUntil = until
        condition.broadcast()
    }

    func report() -> DeliveryRound {
        condition.lock()
        defer { condition.unlock() }
        return tally
    }

    /// The body of one message: the shared body with the message's substitutions (JSON of
    /// placeholder → value) applied inside whatever transfer encoding each part has.
    func body(_ id: Int64, substitutions: String?) throws -> [UInt8] {
        guard let substitutions, let data = substitutions.data(using: .utf8),
              let values = try JSONSerialization.jsonObject(with: data) as? [String: String], !values.isEmpty else {
            return try body(id)
        }
        let names = values.keys.sorted()
        let key = "\(id)\u{0}" + names.joined(separator: "\u{0}")
        if let entity = personalisable.withLock({ $0[key] }) { return entity.render(values) }
        let entity = PersonalisedEntity(entity: try body(id), placeholders: names)
        personalisable.withLock { $0[key] = entity }
        return entity.render(values)
    }

    /// The shared body of a send, read once per round.
    func body(_ id: Int64) throws -> [UInt8] {
        if let cached = bodies.withLock({ $0[id] }) { return cached }
        let body = try engine.outbox.body(id)
        bodies.withLock { $0[id] = body }
        return body
    }
}

/// The rows a round has taken whose results the database does not have yet.
private final class UnwrittenRows: Sendable {
    private let ids = Mutex(Set<Int64>())

    /// The claimed messages not already on their way, each now counted as taken.
    func take(_ messages: [ClaimedMessage]) -> [ClaimedMessage] {
        ids.withLock { ids in messages.filter { ids.insert($0.id).inserted } }
    }

    /// Rows whose results the database now has: they may be taken again when they fall due.
    func remove(_ written: [Int64]) {
        ids.withLock { ids in
            for id in written { ids.remove(id) }
        }
    }
}
