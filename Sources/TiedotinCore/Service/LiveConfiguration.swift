import Foundation
import Synchronization

/// The config a running service follows: the one it started with, replaced on a good reload.
/// Jobs read `current` at each pass, or iterate `changes()` to act as soon as it changes.
public final class LiveConfiguration: Sendable {
    private struct State {
        var current: Configuration
        var subscribers: [UUID: AsyncStream<Configuration>.Continuation] = [:]
    }

    private let state: Mutex<State>

    /// Starts with the config the service was started with.
    public init(_ configuration: Configuration) {
        state = Mutex(State(current: configuration))
    }

    /// The config in force now.
    public var current: Configuration { state.withLock { $0.current } }

    /// Every config that replaces the current one from now on (the newest only, if a job is slow).
    public func changes() -> AsyncStream<Configuration> {
        let (stream, continuation) = AsyncStream<Configuration>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let id = UUID()
        state.withLock { $0.subscribers[id] = continuation }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.subscribers.removeValue(forKey: id) }
        }
        return stream
    }

    /// Puts `configuration` in force and tells every subscriber.
    public func replace(with configuration: Configuration) {
        let subscribers = state.withLock { state in
            state.current = configuration
            return Array(state.subscribers.values)
        }
        for subscriber in subscribers { subscriber.yield(configuration) }
    }
}
