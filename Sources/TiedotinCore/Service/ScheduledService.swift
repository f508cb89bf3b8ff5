import Foundation
import ServiceLifecycle

/// One job of the running service (delivery now; intake, the edition scheduler, the meeting
/// planner, the unsubscribe endpoint and the bounce reader as they come).
///
/// `run()` is the long-running form under `serve`: it waits (no polling) for its next due work or a
/// wake, follows `ServiceContext.configuration` on reload, and returns on graceful shutdown.
/// `runDuePass(now:)` is the same work done once, for `serve --once`.
public protocol ScheduledService: Service {
    /// A short name for logs, such as `delivery` or `intake`.
    var name: String { get }

    /// Does everything of this job that is due at `now`, once, and says how it went.
    func runDuePass(now: Date) async throws -> PassResult
}

/// What one pass of a job did: `serve --once` exits 0 when every pass is clean, else 3.
public struct PassResult: Sendable, Equatable {
    /// Things done: messages sent, items accepted, invitations queued.
    public var done: Int
    /// Things due that did not get done: messages failed or deferred, items rejected are *done*.
    public var unfinished: Int
    /// Problems for the admin, one line each (a relay that cannot be used, a database error).
    public var problems: [String]

    /// A result; the empty one is a clean pass that had nothing to do.
    public init(done: Int = 0, unfinished: Int = 0, problems: [String] = []) {
        self.done = done
        self.unfinished = unfinished
        self.problems = problems
    }

    /// Nothing failed and nothing waits for a retry.
    public var isClean: Bool { unfinished == 0 && problems.isEmpty }
}
