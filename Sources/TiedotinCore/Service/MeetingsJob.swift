import Foundation
import ServiceLifecycle

/// The meeting planner (`MeetingsService`) as a job of the assembly: plans with the reloaded
/// config as soon as it is in force, and wakes delivery when it queued invitations.
struct MeetingsJob: ScheduledService {
    let name = "meetings"
    private let planner: MeetingsService
    private let configuration: LiveConfiguration

    init(context: ServiceContext) {
        let mailQueued = context.mailQueued
        planner = MeetingsService(
            configuration: context.configuration.current, store: context.store, clock: context.clock,
            logger: context.logger, afterQueue: { mailQueued.signal() })
        configuration = context.configuration
    }

    func runDuePass(now: Date) async throws -> PassResult {
        PassResult(done: try planner.runDuePass(now: now).total)
    }

    func run() async throws {
        let changes = configuration.changes()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { [planner] in
                for await configuration in changes { planner.reload(configuration) }
            }
            try await planner.run()
            group.cancelAll()
        }
    }
}
