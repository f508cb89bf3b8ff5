import Foundation
import Logging
import ServiceLifecycleTestKit
import Testing
import TestSupport
@testable import TiedotinCore

/// The scheduler as the service runs it: a pass when it starts, then a quiet end on shutdown.
@Suite struct EditionSchedulerServiceTests {
    @Test func theServiceRunsADuePassAtOnceAndEndsOnGracefulShutdown() async throws {
        let fixture = try EditionFixture()
        try fixture.item("Vapaaehtoistoiminnan perehdytys", date: "2027-01-14")
        let (queued, signal) = AsyncStream<Void>.makeStream()
        let desk = try EditionDesk(
            configuration: fixture.configuration, store: fixture.store,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }), onQueued: { signal.yield() })
        // At the preview time, with nothing else due for two days: the service would sleep after its pass.
        let scheduler = EditionScheduler(
            desk: desk, clock: ManualClock(EditionFixture.previewTime),
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        try await testGracefulShutdown { trigger in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await scheduler.run() }
                var iterator = queued.makeAsyncIterator()
                _ = await iterator.next()
                trigger.triggerGracefulShutdown()
                try await group.waitForAll()
            }
        }
        #expect(try fixture.sends("preview").count == 1)
        #expect(try fixture.sends("newsletter").isEmpty)
    }
}
