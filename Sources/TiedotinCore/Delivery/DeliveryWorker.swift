import Foundation
import Logging

/// One delivery thread: one connection, message after message, until the round is over.
struct DeliveryWorker {
    let engine: DeliveryEngine
    let round: DeliveryRoundState
    let number: Int
    /// The engine's log level, read once: asking the logger copies it, and a line per message
    /// is asked for whether or not it is written.
    private let logLevel: Logger.Level

    init(engine: DeliveryEngine, round: DeliveryRoundState, number: Int) {
        self.engine = engine
        self.round = round
        self.number = number
        logLevel = engine.logger.logLevel
    }

    func run() {
        let connection = engine.transport.makeConnection()
        defer { connection.close() }
        // The shared body of the last message: the messages of a send come one after another.
        var body: (id: Int64, bytes: [UInt8])?
        while let message = round.next() {
            guard let handedAt = waitForRate(message) else { break }
            guard deliver(message, handedAt: handedAt, over: connection, body: &body) else { break }
        }
    }

    /// Waits until the rate caps let this message go and returns the moment it may; nil when the round ends instead.
    /// `next()` has just found the round going on, so whether it is over is asked only after a wait.
    private func waitForRate(_ message: ClaimedMessage) -> Date? {
        while true {
            let now = engine.clock.now
            switch round.limiter.acquire(now: now) {
            case .go(let at):
                return at
            case .wait(let until):
                // In slices, so that a stop is noticed within a second.
                engine.clock.sleep(until: min(until, now.addingTimeInterval(1)))
                if round.isOver {
                    round.putBack(message)
                    return nil
                }
            case .dailyCapReached(let until):
                round.putBack(message)
                round.dailyCapReached(until: until)
                engine.logger.notice("mail.rate.per_day reached; the rest waits", metadata: [
                    "per_day": "\(round.limiter.perDay)", "until": "\(until.ISO8601Format())",
                ])
                return nil
            }
        }
    }

    /// Sends one message and hands its result to the round's writer, which keeps it before this
    /// connection goes on; false when it could not (a stop gave up on the database), and the
    /// connection stops.
    private func deliver(
        _ message: ClaimedMessage, handedAt: Date, over connection: any TransportConnection, body shared: inout (id: Int64, bytes: [UInt8])?
    ) -> Bool {
        let body: [UInt8]
        do {
            if message.substitutions == nil, let shared, shared.id == message.bodyID {
                body = shared.bytes
            } else {
                body = try round.body(message.bodyID, substitutions: message.substitutions)
                if message.substitutions == nil { shared = (message.bodyID, body) }
            }
        } catch {
            log(.error, "cannot read the message body from the outbox", about: message, ["problem": "\(error)"])
            round.putBack(message)
            round.relayUnusable("cannot read the outbox: \(error)")
            return true
        }
        let outcome = connection.send(
            Envelope(sender: message.envelopeSender, recipient: message.recipient),
            message: MessageBytes(header: message.header, body: body))
        let verdict = engine.classifier.classify(outcome)
        // When the send ended matters only to a message that waits for another try; a message sent
        // takes no second clock read (on a VM a clock read can cost as much as a lock).
        let now: Date
        if case .sent = verdict { now = handedAt } else { now = engine.clock.now }
        let answer = engine.classifier.answer(outcome)
        if !outcome.reachedRelay {
            // The rate caps count messages handed to the relay; this one never got there.
            round.limiter.refund(handedAt)
        }
        var result = AttemptResult(
            id: message.id, attemptsBefore: message.attempts, recipient: message.recipient, verdict: .sent, handedOff: outcome.reachedRelay,
            code: outcome.replyCode == 0 ? nil : outcome.replyCode, answer: answer, at: handedAt)

        switch verdict {
        case .sent:
            log(.info, "sent", about: message, ["answer": answer])
        case .permanent(let addressUnknown):
            result.verdict = .failed(addressUnknown: addressUnknown)
            log(.warning, "failed for good", about: message, ["answer": answer])
        case .temporary, .sessionClosed, .throttled, .relayUnusable:
            let attempt = message.attempts + 1
            if engine.retry.givesUp(queuedAt: message.queuedAt, now: now) {
                result.verdict = .failed(addressUnknown: false)
                result.answer = "gave up after \(engine.settings.retry.giveUpAfter.configText): \(answer)"
                log(.warning, "given up", about: message, ["answer": result.answer])
            } else {
                var next = now.addingTimeInterval(engine.retry.delay(afterAttempt: attempt))
                if case .relayUnusable(let problem) = verdict {
                    round.relayUnusable(problem)
                    next = now.addingTimeInterval(engine.retry.first.timeInterval)
                }
                result.verdict = .deferred(until: next)
                log(.notice, "deferred", about: message, ["until": next.ISO8601Format(), "answer": answer])
            }
        }
        // The relay may have the message: a row left `sending` would go again after a restart, so the
        // result is kept before this connection hands over anything more.
        guard round.writer.submit(result) else {
            round.relayUnusable("cannot write to the outbox")
            return false
        }
        round.count(result.verdict)

        switch verdict {
        case .sessionClosed:
            // 421: the relay is going away for now; let this connection rest before reconnecting.
            pause(engine.retry.first.timeInterval)
        case .throttled:
            round.limiter.slowDown(now: now, pause: engine.retry.first.timeInterval)
        default:
            break
        }
        return true
    }

    /// Logs a fixed message with the recipient and the send as metadata (and `extra`), built only
    /// when the level is on: per message, it adds up.
    private func log(
        _ level: Logger.Level, _ text: @autoclosure () -> Logger.Message, about message: ClaimedMessage,
        _ extra: @autoclosure () -> [String: String] = [:]
    ) {
        guard level >= logLevel else { return }
        engine.logger.log(level: level, text(), metadata: {
            var metadata: Logger.Metadata = ["recipient": "\(message.recipient)", "send": "\(message.bodyID)"]
            for (key, value) in extra() { metadata[key] = "\(value)" }
            return metadata
        }())
    }

    private func pause(_ seconds: TimeInterval) {
        let end = engine.clock.now.addingTimeInterval(seconds)
        while !round.isOver, engine.clock.now < end {
            engine.clock.sleep(until: min(end, engine.clock.now.addingTimeInterval(1)))
        }
    }
}
