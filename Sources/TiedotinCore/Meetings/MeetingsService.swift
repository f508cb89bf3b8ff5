import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// The meeting planner as a long-running job of `tiedotin serve`: a pass, then sleep until the next
/// invitation or reminder falls due (or `idleCheck`, the backstop for member changes made by another
/// process), or until woken by `reload(_:)` or `wake()`.
public final class MeetingsService: Service, CustomStringConvertible {
    private let configuration: Mutex<Configuration>
    private let store: Store
    private let clock: any WallClock
    private let logger: Logger
    private let wakeSignal = WakeSignal()
    /// Called after a pass that queued mail, e.g. to wake delivery.
    private let afterQueue: @Sendable () -> Void
    let idleCheck: Duration

    public init(
        configuration: Configuration, store: Store, clock: any WallClock = SystemClock(), logger: Logger,
        idleCheck: Duration = .seconds(300), afterQueue: @escaping @Sendable () -> Void = {}
    ) {
        self.configuration = Mutex(configuration)
        self.store = store
        self.clock = clock
        self.logger = logger
        self.idleCheck = idleCheck
        self.afterQueue = afterQueue
    }

    public var description: String { "MeetingsService" }

    /// One pass of everything due at `now` (for `serve --once`); returns what it queued.
    @discardableResult
    public func runDuePass(now: Date) throws -> MeetingPass.Report {
        let pass = MeetingPass(configuration: configuration.withLock { $0 }, store: store, logger: logger)
        let report = try pass.run(now: now)
        if report.total > 0 {
            logger.notice("meeting messages queued", metadata: ["count": "\(report.total)"])
            afterQueue()
        }
        return report
    }

    /// Takes a new config (on reload) and plans with it at once.
    public func reload(_ configuration: Configuration) {
        self.configuration.withLock { $0 = configuration }
        wakeSignal.signal()
    }

    /// Plans now, e.g. after members were added.
    public func wake() {
        wakeSignal.signal()
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let now = self.clock.now
                var next = now.addingTimeInterval(self.idleCheck.timeInterval)
                do {
                    if let due = try self.runDuePass(now: now).nextDue { next = min(next, due) }
                } catch {
                    // A locked or broken database: try again after a short while rather than stop the service.
                    self.logger.error("meeting planning failed: \(error)")
                    next = min(next, now.addingTimeInterval(30))
                }
                await self.wakeSignal.wait(until: max(next, now.addingTimeInterval(0.05)))
            }
        }
    }
}
