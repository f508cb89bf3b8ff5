import Foundation
import Synchronization
import TiedotinCore

/// A clock for tests: time stands still until a test moves it, and a sleep jumps straight to its end.
public final class ManualClock: WallClock {
    private let current: Mutex<Date>

    public init(_ start: Date = Date(timeIntervalSince1970: 1_795_000_000)) {
        current = Mutex(start)
    }

    public var now: Date { current.withLock { $0 } }

    public func sleep(until date: Date) {
        current.withLock { $0 = max($0, date) }
    }

    /// Moves the time forward.
    public func advance(by seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}
