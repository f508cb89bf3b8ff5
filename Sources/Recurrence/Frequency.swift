/// `FREQ`: the unit a recurrence repeats in (RFC 5545 §3.3.10).
public enum Frequency: String, Sendable, Hashable, CaseIterable, Comparable {
    case secondly = "SECONDLY"
    case minutely = "MINUTELY"
    case hourly = "HOURLY"
    case daily = "DAILY"
    case weekly = "WEEKLY"
    case monthly = "MONTHLY"
    case yearly = "YEARLY"

    /// Finer frequencies sort first: `.hourly < .daily`.
    public static func < (lhs: Frequency, rhs: Frequency) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
