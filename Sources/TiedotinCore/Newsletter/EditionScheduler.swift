import Foundation
import Logging
import ServiceLifecycle

/// The long-running edition job of `tiedotin serve`: runs a due pass, then sleeps until the next
/// thing falls due (a preview, a send time) or `idleCheck`, whichever is sooner, so an approval or
/// release given while it sleeps is acted on within that time. `wake` ends a sleep early (for
/// example when intake accepted an item). `runDuePass(now:)` is the one pass of `serve --once`.
public struct EditionScheduler: Service, CustomStringConvertible {
    let desk: EditionDesk
    let clock: any WallClock
    let logger: Logger
    /// Signalled to make the scheduler look again now.
    public let wake: WakeSignal
    /// The longest sleep.
    let idleCheck: TimeInterval

    /// A scheduler for `desk` on `clock`.
    public init(
        desk: EditionDesk, clock: any WallClock = SystemClock(), wake: WakeSignal = WakeSignal(), logger: Logger,
        idleCheck: Duration = .seconds(60)
    ) {
        self.desk = desk
        self.wake = wake
        self.clock = clock
        self.logger = logger
        self.idleCheck = idleCheck.timeInterval
    }

    public var description: String { "EditionScheduler" }

    /// One pass of everything due now; errors are logged, and the pass is tried again later.
    @discardableResult
    public func runDuePass(now: Date) -> Date? {
        do {
            let pass = try desk.runDuePass(now: now)
            for line in pass.done { logger.debug("\(line)") }
            return pass.nextDue
        } catch {
            logger.error("the newsletter could not be prepared: \(error)")
            return now.addingTimeInterval(idleCheck)
        }
    }

    /// Passes until a graceful shutdown (or cancellation), which ends the sleep at once.
    public func run() async throws {
        await cancelWhenGracefulShutdown { [wake] in
            while !Task.isCancelled {
                let now = clock.now
                let due = runDuePass(now: now) ?? now.addingTimeInterval(idleCheck)
                let wait = min(max(due.timeIntervalSince(now), 0.05), idleCheck)
                await wake.wait(until: Date().addingTimeInterval(wait))
            }
        }
        logger.debug("edition scheduler stopped")
    }
}
