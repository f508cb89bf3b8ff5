import Foundation

extension Duration {
    /// The duration in seconds, as `TimeInterval` for date arithmetic.
    public var timeInterval: TimeInterval {
        let parts = components
        return TimeInterval(parts.seconds) + TimeInterval(parts.attoseconds) / 1e18
    }

    /// How an admin writes it in the config: `90m`, `2h`, `3d`, `30s`, `250ms`.
    public var configText: String {
        let seconds = timeInterval
        if seconds < 1 { return "\(Int((seconds * 1000).rounded()))ms" }
        let whole = Int(seconds.rounded())
        for (unit, size) in [("d", 86_400), ("h", 3600), ("m", 60)] where whole % size == 0 {
            return "\(whole / size)\(unit)"
        }
        return "\(whole)s"
    }
}
