import Foundation
import ServiceLifecycle

/// What comes back (`ReturnServices`: the one-click unsubscribe endpoint, the unsubscribe and
/// bounce Maildir readers, each only when the config asks for it) as one job of the assembly.
/// A reload stops them and starts those the new config asks for.
struct ReturnsJob: ScheduledService {
    let name = "returns"
    private let context: ServiceContext

    init(context: ServiceContext) {
        self.context = context
    }

    private func returns(for configuration: Configuration) -> ReturnServices {
        ReturnServices(configuration: configuration, store: context.store, logger: context.logger)
    }

    func runDuePass(now: Date) async throws -> PassResult {
        let passes = returns(for: context.configuration.current).runDuePasses(now: now)
        let problems = passes.compactMap(\.problem)
        return PassResult(done: passes.map(\.total).reduce(0, +), problems: problems)
    }

    func run() async throws {
        try await context.configuration.runRestartingOnReload { [self] configuration in
            ConcurrentServices(services: returns(for: configuration).services)
        }
    }
}

/// Several services run side by side as one, until each has returned (or, with none, until
/// graceful shutdown, so that an empty set does not end the service group).
struct ConcurrentServices: Service {
    let services: [any Service]

    func run() async throws {
        guard !services.isEmpty else {
            try? await gracefulShutdown()
            return
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for service in services {
                group.addTask { try await service.run() }
            }
            try await group.waitForAll()
        }
    }
}
