import Foundation
import MIME
import Synchronization

/// What the threads of one round share: the claimed rows not yet taken, and the tally.
final class DeliveryRoundState: Sendable {
    private struct State {
        var waiting: [ClaimedMessage] = []
        var exhausted = false
        var report = DeliveryRound()
    }

    private let engine: DeliveryEngine
    private let progress: (@Sendable (DeliveryRound) -> Void)?
    private let state = Mutex(State())
    /// Serialises claiming so that two idle threads do not both claim a batch.
    private let claimLock = Mutex(())
    private let bodies = Mutex([Int64: [UInt8]]())
    /// Shared bodies taken apart around their placeholders, by body id and placeholder names.
    private let personalisable = Mutex([String: PersonalisedEntity]())

    /// Keeps the results of every connection and writes them, several in one transaction.
    let writer: ResultWriter

    init(engine: DeliveryEngine, progress: (@Sendable (DeliveryRound) -> Void)?) {
        self.engine = engine
        self.progress = progress
        writer = ResultWriter(journalPath: engine.outbox.journalPath, logger: engine.logger) { results in
            engine.writeWhenPossible(
                "the delivery results", unwritten: "the next start takes them from the results journal (without one, it sends those messages again)", logger: engine.logger
            ) { try engine.outbox.record(results) }
        }
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
                engine.logger.error("cannot claim messages from the outbox", metadata: ["problem": "\(error)"])
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
