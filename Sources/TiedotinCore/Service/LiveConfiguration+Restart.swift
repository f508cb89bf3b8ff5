import Foundation
import ServiceLifecycle

extension LiveConfiguration {
    /// Runs the service `make` builds from the config in force, and on each reload ends it (by
    /// cancellation, after its current step) and runs one built from the new config. Returns when
    /// the running one returns (graceful shutdown). For jobs whose parts are fixed at construction.
    func runRestartingOnReload(_ make: @escaping @Sendable (Configuration) throws -> any Service) async throws {
        while true {
            // Subscribed before reading `current`, so that no reload falls between the two.
            let changes = self.changes()
            let service = try make(current)
            let reloaded = try await withThrowingTaskGroup(of: Bool.self) { group in
                group.addTask {
                    try await service.run()
                    return false
                }
                group.addTask {
                    for await _ in changes { return true }
                    return false
                }
                let first = try await group.next() ?? false
                group.cancelAll()
                return first
            }
            if !reloaded { return }
        }
    }
}
