import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// The delivery job of `tiedotin serve`: drains the outbox whenever messages fall due, sleeps (no
/// polling loop) until the next one or until woken, and on shutdown lets the SMTP transaction in
/// flight finish before it returns.
///
/// On a reload the round in flight ends after the messages on the wire (the rest go back to the
/// queue untouched), and the next round runs with the new rates, connections and relay.
public final class DeliveryService: ScheduledService, CustomStringConvertible {
    private struct State {
        var engine: DeliveryEngine
        var replacement: Configuration?
        var stopping = false
    }

    public let name = "delivery"
    private let context: ServiceContext
    private let state: Mutex<State>
    /// The longest sleep: the backstop for mail queued by a process that could not wake us.
    let idleCheck: Duration

    /// Builds the engine for the current config; throws when its secret cannot be read.
    public init(context: ServiceContext, idleCheck: Duration = .seconds(300)) throws {
        self.context = context
        self.idleCheck = idleCheck
        state = Mutex(State(engine: try DeliveryService.engine(for: context.configuration.current, context: context)))
    }

    /// A delivery engine for `configuration`: its transport with the secret from its file or systemd
    /// credential (password, or the OAuth client secret for XOAUTH2), its rates and connections.
    public static func engine(for configuration: Configuration, context: ServiceContext) throws -> DeliveryEngine {
        try engine(
            for: configuration, store: context.store, environment: context.environment, clock: context.clock,
            logger: context.logger)
    }

    /// The same for a command that delivers by itself (`--wait`).
    public static func engine(
        for configuration: Configuration, store: Store, environment: [String: String], clock: any WallClock, logger: Logger
    ) throws -> DeliveryEngine {
        let transport = try TransportFactory.make(
            for: configuration.mail, secrets: Secrets(environment: environment), clock: clock, logger: logger)
        return try DeliveryEngine(
            outbox: Outbox(store: store), transport: transport, settings: DeliveryEngine.Settings(configuration.mail),
            clock: clock, logger: logger)
    }

    public var description: String { "DeliveryService(\(engine.transport.destination))" }

    /// The engine in use now.
    public var engine: DeliveryEngine { state.withLock { $0.engine } }

    /// `serve --once`: recovers interrupted rows, delivers everything due, and says how it went.
    public func runDuePass(now: Date) async throws -> PassResult {
        try recover()
        let round = await engine.deliverDue()
        context.statusChanged.signal()
        return PassResult(
            done: round.sent, unfinished: round.deferred + round.failed,
            problems: [round.relayProblem, round.databaseError].compactMap { $0 })
    }

    /// `serve`: delivers as mail falls due until graceful shutdown, following reloads.
    public func run() async throws {
        try recover()
        let changes = context.configuration.changes()
        try await withGracefulShutdownHandler {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { [self] in
                    for await configuration in changes { replace(with: configuration) }
                }
                try await loop()
                group.cancelAll()
            }
        } onGracefulShutdown: { [self] in
            let engine = state.withLock { state in
                state.stopping = true
                return state.engine
            }
            engine.requestStop()
            context.mailQueued.signal()
        }
    }

    private func recover() throws {
        let recovered = try context.outbox.recoverInterrupted()
        if recovered.recorded > 0 {
            context.logger.notice("results kept in the journal at the last stop are written", metadata: ["count": "\(recovered.recorded)"])
        }
        if recovered.requeued > 0 {
            context.logger.notice("messages interrupted at the last stop go again", metadata: ["count": "\(recovered.requeued)"])
        }
    }

    /// Ends the round in flight after the messages on the wire; the loop then builds a new engine.
    private func replace(with configuration: Configuration) {
        let engine = state.withLock { state in
            state.replacement = configuration
            return state.engine
        }
        engine.requestStop()
        context.mailQueued.signal()
    }

    private func loop() async throws {
        while !Task.isCancelled {
            if !applyReplacement() { break }
            let engine = self.engine
            let round = await engine.deliverDue()
            context.statusChanged.signal()
            if state.withLock({ $0.stopping }) { break }
            if state.withLock({ $0.replacement != nil }) { continue }
            let wake = nextWake(after: round)
            if wake.timeIntervalSince(context.clock.now) >= 1 {
                // Idle for a while: what the round used (page caches, claimed batches) goes back.
                context.store.releaseMemory()
                ProcessMemory.returnFreePages()
            }
            await context.mailQueued.wait(until: wake)
        }
    }

    /// Puts a reloaded config's engine in place; false when the service is stopping.
    private func applyReplacement() -> Bool {
        guard let configuration = state.withLock({ $0.stopping ? nil : $0.replacement }) else {
            return !state.withLock { $0.stopping }
        }
        do {
            let engine = try DeliveryService.engine(for: configuration, context: context)
            let stopping = state.withLock { state in
                state.engine = engine
                state.replacement = nil
                return state.stopping
            }
            if stopping { engine.requestStop() }
            context.logger.notice("delivery follows the reloaded config", metadata: [
                "destination": "\(engine.transport.destination)", "connections": "\(configuration.mail.connections)",
                "per_minute": "\(configuration.mail.rate.perMinute)",
            ])
            return !stopping
        } catch {
            // Checked before the reload was accepted; if the secret vanished since, keep the old engine.
            state.withLock { $0.replacement = nil }
            context.logger.error("delivery keeps the previous config", metadata: ["problem": "\(error)"])
            return !state.withLock { $0.stopping }
        }
    }

    private func nextWake(after round: DeliveryRound) -> Date {
        let now = context.clock.now
        let backstop = now.addingTimeInterval(idleCheck.timeInterval)
        var next = backstop
        if let due = try? context.outbox.nextAttempt() { next = min(next, due) }
        if let until = round.dailyCapUntil { next = max(next, min(until, backstop)) }
        if let until = round.relayRetryAt { next = max(next, min(until, backstop)) }
        if round.databaseError != nil { next = max(next, now.addingTimeInterval(5)) }
        return max(next, now.addingTimeInterval(0.05))
    }
}
