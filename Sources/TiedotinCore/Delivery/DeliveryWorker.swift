import Foundation
import Logging

/// One delivery thread: one connection, message after message, until the round is over.
struct DeliveryWorker {
    let engine: DeliveryEngine
    let round: DeliveryRoundState
    let number: Int

    func run() {
        let connection = engine.transport.makeConnection()
        defer { connection.close() }
        while let message = round.next() {
            guard let handedAt = waitForRate(message) else { return }
            deliver(message, handedAt: handedAt, over: connection)
        }
    }

    /// Waits until the rate caps let this message go and returns the moment it may; nil when the round ends instead.
    private func waitForRate(_ message: ClaimedMessage) -> Date? {
        while true {
            if round.isOver {
                round.putBack(message)
                return nil
            }
            let now = engine.clock.now
            switch engine.limiter.acquire(now: now) {
            case .go:
                return now
            case .wait(let until):
                // In slices, so that a stop is noticed within a second.
                engine.clock.sleep(until: min(until, now.addingTimeInterval(1)))
            case .dailyCapReached(let until):
                round.putBack(message)
                round.dailyCapReached(until: until)
                engine.logger.notice("mail.rate.per_day reached; the rest waits", metadata: [
                    "per_day": "\(engine.limiter.perDay)", "until": "\(until.ISO8601Format())",
                ])
                return nil
            }
        }
    }

    private func deliver(_ message: ClaimedMessage, handedAt: Date, over connection: any TransportConnection) {
        var logger = engine.logger
        logger[metadataKey: "recipient"] = "\(message.recipient)"
        logger[metadataKey: "send"] = "\(message.bodyID)"
        let body: [UInt8]
        do {
            body = try personalised(round.body(message.bodyID), with: message.substitutions)
        } catch {
            logger.error("cannot read the message body from the outbox", metadata: ["problem": "\(error)"])
            round.putBack(message)
            round.relayUnusable("cannot read the outbox: \(error)")
            return
        }
        let outcome = connection.send(
            Envelope(sender: message.envelopeSender, recipient: message.recipient),
            message: MessageBytes(header: message.header, body: body))
        let now = engine.clock.now
        let verdict = engine.classifier.classify(outcome)
        let answer = engine.classifier.answer(outcome)
        var result = AttemptResult(
            id: message.id, recipient: message.recipient, verdict: .sent,
            code: outcome.replyCode == 0 ? nil : outcome.replyCode, answer: answer, at: handedAt)

        switch verdict {
        case .sent:
            logger.info("sent", metadata: ["answer": "\(answer)"])
        case .permanent(let addressUnknown):
            result.verdict = .failed(addressUnknown: addressUnknown)
            logger.warning("failed for good", metadata: ["answer": "\(answer)"])
        case .temporary, .sessionClosed, .throttled, .relayUnusable:
            let attempt = message.attempts + 1
            if engine.retry.givesUp(queuedAt: message.queuedAt, now: now) {
                result.verdict = .failed(addressUnknown: false)
                result.answer = "gave up after \(engine.settings.retry.giveUpAfter.configText): \(answer)"
                logger.warning("given up", metadata: ["answer": "\(result.answer)"])
            } else {
                var next = now.addingTimeInterval(engine.retry.delay(afterAttempt: attempt))
                if case .relayUnusable(let problem) = verdict {
                    round.relayUnusable(problem)
                    next = now.addingTimeInterval(engine.retry.first.timeInterval)
                }
                result.verdict = .deferred(until: next)
                logger.notice("deferred", metadata: ["until": "\(next.ISO8601Format())", "answer": "\(answer)"])
            }
        }
        do {
            try engine.outbox.record(result)
        } catch {
            // The relay has the message but we could not write it down: stop rather than risk more duplicates.
            logger.critical("cannot record the delivery in the outbox", metadata: ["problem": "\(error)"])
            round.relayUnusable("cannot write to the outbox: \(error)")
            return
        }
        round.count(result.verdict)

        switch verdict {
        case .sessionClosed:
            // 421: the relay is going away for now; let this connection rest before reconnecting.
            pause(engine.retry.first.timeInterval)
        case .throttled:
            engine.limiter.slowDown(now: now, pause: engine.retry.first.timeInterval)
        default:
            break
        }
    }

    private func pause(_ seconds: TimeInterval) {
        let end = engine.clock.now.addingTimeInterval(seconds)
        while !round.isOver, engine.clock.now < end {
            engine.clock.sleep(until: min(end, engine.clock.now.addingTimeInterval(1)))
        }
    }

    /// Applies a message's substitutions (placeholder → value, JSON) to the shared body.
    private func personalised(_ body: [UInt8], with substitutions: String?) throws -> [UInt8] {
        guard let substitutions, let data = substitutions.data(using: .utf8),
              let pairs = try JSONSerialization.jsonObject(with: data) as? [String: String], !pairs.isEmpty else {
            return body
        }
        var result = body
        for (placeholder, value) in pairs {
            result = result.replacing(Array(placeholder.utf8), with: Array(value.utf8))
        }
        return result
    }
}
