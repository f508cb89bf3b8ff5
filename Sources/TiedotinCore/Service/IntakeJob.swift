import Foundation
import ServiceLifecycle

/// Intake (`IntakeService` over a `DropFolderIntake`) as a job of the assembly: an accepted item
/// wakes the edition scheduler, a queued acknowledgement wakes delivery, and a reload builds the
/// intake anew from the new config (sections, sizes, settle time).
struct IntakeJob: ScheduledService {
    let name = "intake"
    private let context: ServiceContext

    init(context: ServiceContext) {
        self.context = context
    }

    private func service(for configuration: Configuration) -> IntakeService {
        let mailQueued = context.mailQueued, itemAccepted = context.itemAccepted
        return IntakeService(
            intake: DropFolderIntake(configuration: configuration, store: context.store, logger: context.logger),
            logger: context.logger,
            afterPass: { report in
                if !report.accepted.isEmpty { itemAccepted.signal() }
                mailQueued.signal()
            })
    }

    func runDuePass(now: Date) async throws -> PassResult {
        let report = service(for: context.configuration.current).runDuePass(now: now)
        return PassResult(
            done: report.accepted.count + report.rejected.count, unfinished: report.failed,
            problems: report.failed > 0 ? ["\(report.failed) drop-folder files could not be taken; they are tried again"] : [])
    }

    func run() async throws {
        try await context.configuration.runRestartingOnReload { [self] configuration in
            service(for: configuration)
        }
    }
}
