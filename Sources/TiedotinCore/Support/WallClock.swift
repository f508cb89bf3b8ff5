import Foundation

/// The time as the service sees it. Injected everywhere a decision depends on the time,
/// so that tests can run a plan or a rate cap at any date without waiting.
public protocol WallClock: Sendable {
    /// The current time.
    var now: Date { get }
    /// Blocks the calling thread until `date` (delivery threads only; never the cooperative pool).
    func sleep(until date: Date)
}

/// The real clock.
public struct SystemClock: WallClock {
    public init() {}

    public var now: Date { Date() }

    public func sleep(until date: Date) {
        let interval = date.timeIntervalSinceNow
        if interval > 0 { Thread.sleep(forTimeInterval: interval) }
    }
}
