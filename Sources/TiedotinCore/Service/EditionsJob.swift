import Foundation
import ServiceLifecycle

/// The edition scheduler (`EditionScheduler` over an `EditionDesk`) as a job of the assembly. A
/// reload builds a new desk from the new config (schedule, sections, recipients) and the
/// scheduler goes on with it; an edition already fixed keeps its state in the store.
struct EditionsJob: ScheduledService {
    let name = "editions"
    private let context: ServiceContext

    init(context: ServiceContext) throws {
        self.context = context
        _ = try desk(for: context.configuration.current)
    }

    private func desk(for configuration: Configuration) throws -> EditionDesk {
        let mailQueued = context.mailQueued
        return try EditionDesk(
            configuration: configuration, store: context.store,
            meetings: MeetingListing.upcomingQuery(configuration: configuration, store: context.store),
            logger: context.logger, onQueued: { mailQueued.signal() })
    }

    private func scheduler(for configuration: Configuration) throws -> EditionScheduler {
        EditionScheduler(desk: try desk(for: configuration), clock: context.clock, wake: context.itemAccepted, logger: context.logger)
    }

    func runDuePass(now: Date) async throws -> PassResult {
        // The scheduler logs its own problems and tries again later; a pass that ran is clean.
        _ = try scheduler(for: context.configuration.current).runDuePass(now: now)
        return PassResult()
    }

    func run() async throws {
        try await context.configuration.runRestartingOnReload { [self] configuration in
            try scheduler(for: configuration)
        }
    }
}
