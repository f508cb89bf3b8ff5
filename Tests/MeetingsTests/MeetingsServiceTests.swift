import Foundation
import Logging
import TestSupport
import Testing
@testable import TiedotinCore

/// The planner as a service, and two planners at once on one database.
@Suite struct MeetingsServiceTests {
    /// Counts what each pass queued, as the service reports it through `afterQueue`.
    final class Passes: Sendable {
        let stream: AsyncStream<Void>
        let continuation: AsyncStream<Void>.Continuation
        init() { (stream, continuation) = AsyncStream.makeStream() }
    }

    @Test func theServicePlansAtOnceAndAgainWhenAReloadBringsAChange() async throws {
        var fixture = try MeetingsFixture(forum: MeetingPlanningTests.jyry, now: "2027-01-21T10:00")
        let passes = Passes()
        let service = MeetingsService(
            configuration: fixture.configuration, store: fixture.store, clock: fixture.clock,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }),
            afterQueue: { passes.continuation.yield() })
        let running = Task { try await service.run() }
        var events = passes.stream.makeAsyncIterator()

        await events.next()
        #expect(try fixture.queued().map(\.kind) == Array(repeating: "meeting-invitation", count: 3))

        try fixture.edit(forum: MeetingPlanningTests.jyry(start: "2027-02-10T14:00"))
        fixture.clock.advance(by: 60)
        service.reload(fixture.configuration)
        await events.next()
        #expect(try fixture.queued().map(\.kind).suffix(3) == Array(repeating: "meeting-update", count: 3))

        running.cancel()
        try await running.value
    }

    @Test func twoPassesAtOnceQueueEachMessageOnce() async throws {
        let fixture = try MeetingsFixture(forum: MeetingPlanningTests.jyry, now: "2027-01-21T10:00")
        let configuration = fixture.configuration, store = fixture.store, now = fixture.clock.now
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let totals = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<4 {
                group.addTask { try MeetingPass(configuration: configuration, store: store, logger: logger).run(now: now).total }
            }
            return try await group.reduce(0, +)
        }
        #expect(totals == 3)
        #expect(try fixture.queued().count == 3)
        #expect(try fixture.meetings.notices(of: "jyry-2027-02").count == 3)
    }
}
