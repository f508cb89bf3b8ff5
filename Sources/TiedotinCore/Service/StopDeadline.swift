import Foundation
import Synchronization

/// How long a stop may take: systemd kills the service at `TimeoutStopSec`, so the service gives
/// up on a relay's slow answer to the final dot `margin` before that, drops the connection and
/// exits 0. The row stays `sending` and goes again at the next start (within the duplicate bound).
final class StopDeadline: Sendable {
    let limit: Duration
    private let started = WakeSignal()
    private let isStarted = Mutex(false)

    /// `stopTimeout` less `margin` (at least one second).
    init(stopTimeout: Duration, margin: Duration) {
        limit = max(stopTimeout - margin, .seconds(1))
    }

    /// The stop began: the clock runs from now.
    func start() {
        isStarted.withLock { $0 = true }
        started.signal()
    }

    /// Returns `limit` after `start()`, or never (until cancelled).
    func passed() async {
        while !Task.isCancelled, !isStarted.withLock({ $0 }) {
            await started.wait(until: .distantFuture)
        }
        guard !Task.isCancelled else { return }
        try? await Task.sleep(for: limit)
    }
}
