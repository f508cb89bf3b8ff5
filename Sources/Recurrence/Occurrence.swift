import Foundation

/// One instance of a recurrence set: the wall-clock time the rule gives, and the instant it is.
public struct Occurrence: Sendable, Hashable, CustomStringConvertible {
    /// The local time as the rule generates it, in the set's time zone. It names the occurrence
    /// (a meeting's id comes from `local.date`) and is what exceptions match. In the hour skipped
    /// when daylight-saving time begins the clock shows another time: see `date`.
    public let local: WallClockTime
    /// The instant, `local` read in the set's time zone as RFC 5545 §3.3.5 reads local times.
    public let date: Date

    /// An occurrence named `local` that happens at `date`.
    public init(local: WallClockTime, date: Date) {
        self.local = local
        self.date = date
    }

    /// `2027-01-13T09:00:00 (2027-01-13 07:00:00 +0000)`, for logs.
    public var description: String {
        "\(local) (\(date))"
    }
}
