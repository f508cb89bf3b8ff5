import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Intake inside `tiedotin serve`: a pass whenever something arrives in `incoming/` (inotify)
/// and when the first file still being written will have settled, so that a file is accepted
/// or rejected within `intake.settle` plus a moment. Without inotify it polls every
/// `pollInterval`; with it, only a slow backstop pass runs (for folders on file systems that
/// do not report changes). Idle, it sleeps.
public struct IntakeService: Service, CustomStringConvertible {
    let intake: DropFolderIntake
    let logger: Logger
    let wake = WakeSignal()
    let pollInterval: Duration
    let backstop: Duration
    /// Called after a pass that accepted or rejected something (acknowledgements may be queued).
    let afterPass: @Sendable (IntakeReport) -> Void

    public init(
        intake: DropFolderIntake, logger: Logger, pollInterval: Duration = .seconds(2), backstop: Duration = .seconds(300),
        afterPass: @escaping @Sendable (IntakeReport) -> Void = { _ in }
    ) {
        self.intake = intake
        self.logger = logger
        self.pollInterval = pollInterval
        self.backstop = backstop
        self.afterPass = afterPass
    }

    public var description: String { "IntakeService(\(intake.configuration.paths.dropFolder))" }

    /// One pass for `serve --once`: handles what has settled by `now`.
    @discardableResult
    public func runDuePass(now: Date) -> IntakeReport {
        do {
            let report = try intake.runPass(now: now)
            if report.unsettled > 0 {
                logger.debug("\(report.unsettled) drop-folder files are still being written; they are taken once settled")
            }
            return report
        } catch {
            logger.error("\(error)")
            var report = IntakeReport()
            report.failed = 1
            return report
        }
    }

    public func run() async throws {
        let incoming = DropFolder(root: intake.configuration.paths.dropFolder).incoming
        let wake = self.wake
        let stopping = Mutex(false)
        await withGracefulShutdownHandler {
            var watch: FolderWatch?
            var warned = false
            defer { watch?.stop() }
            while !stopping.withLock({ $0 }), !Task.isCancelled {
                let report = runDuePass(now: Date())
                if !report.accepted.isEmpty || !report.rejected.isEmpty { afterPass(report) }
                // The pass made incoming/ if it was missing; watch it (again, if it was replaced).
                if watch == nil || watch?.isLost == true {
                    watch?.stop()
                    watch = FolderWatch(folder: incoming) { wake.signal() }
                    if watch == nil, !warned {
                        logger.warning("inotify is not available for \(incoming); looking into it every \(pollInterval.configurationText)")
                        warned = true
                    }
                    // Whatever arrived before the watch began is found by one more pass.
                    if watch != nil { continue }
                }
                let now = Date()
                var next = now.addingTimeInterval((watch == nil ? pollInterval : backstop).timeInterval)
                if let settle = report.nextSettle { next = min(next, settle.addingTimeInterval(0.05)) }
                // A file that failed (disk full, database busy) is tried again soon, not at once.
                if report.failed > 0 { next = max(next, now.addingTimeInterval(1)) }
                await wake.wait(until: next)
            }
        } onGracefulShutdown: {
            stopping.withLock { $0 = true }
            wake.signal()
        }
    }
}
