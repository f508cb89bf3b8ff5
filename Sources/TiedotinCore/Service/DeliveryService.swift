import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// The long-running delivery job of `tiedotin serve`: drains the outbox whenever messages fall
/// due, sleeps (no polling loop) until the next one or until woken, and on shutdown lets the
/// SMTP transaction in flight finish before it returns.
public struct DeliveryService: Service, CustomStringConvertible {
    let engine: DeliveryEngine
    let outbox: Outbox
    let wake: WakeSignal
    let logger: Logger
    /// Called after each round, e.g. to update systemd's STATUS line.
    let afterRound: @Sendable (DeliveryRound) -> Void
    /// The longest sleep: the backstop for mail queued by a process that did not wake us.
    let idleCheck: Duration

    public init(
        engine: DeliveryEngine, outbox: Outbox, wake: WakeSignal, logger: Logger,
        idleCheck: Duration = .seconds(60), afterRound: @escaping @Sendable (DeliveryRound) -> Void = { _ in }
    ) {
        self.engine = engine
        self.outbox = outbox
        self.wake = wake
        self.logger = logger
        self.idleCheck = idleCheck
        self.afterRound = afterRound
    }

    public var description: String { "DeliveryService(\(engine.transport.destination))" }

    public func run() async throws {
        let recovered = try outbox.recoverInterrupted()
        if recovered > 0 {
            logger.notice("\(recovered) messages were being sent when the service last stopped; they go again")
        }
        let engine = self.engine, wake = self.wake
        try await withGracefulShutdownHandler {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    // `tiedotin announce` and friends send SIGUSR1 after queueing.
                    for await _ in await UnixSignalsSequence(trapping: .sigusr1) { wake.signal() }
                }
                try await loop()
                group.cancelAll()
            }
        } onGracefulShutdown: {
            engine.requestStop()
            wake.signal()
        }
    }

    private func loop() async throws {
        while !engine.isStopping, !Task.isCancelled {
            let round = await engine.deliverDue()
            afterRound(round)
            if engine.isStopping { break }
            await wake.wait(until: nextWake(after: round))
        }
    }

    private func nextWake(after round: DeliveryRound) -> Date {
        let now = Date()
        var next = now.addingTimeInterval(idleCheck.timeInterval)
        if let due = try? outbox.nextAttempt() { next = min(next, due) }
        if let until = round.dailyCapUntil { next = max(next, min(until, now.addingTimeInterval(idleCheck.timeInterval))) }
        if let until = round.relayRetryAt { next = max(next, min(until, now.addingTimeInterval(idleCheck.timeInterval))) }
        if round.databaseError != nil { next = max(next, now.addingTimeInterval(5)) }
        return max(next, now.addingTimeInterval(0.05))
    }
}
