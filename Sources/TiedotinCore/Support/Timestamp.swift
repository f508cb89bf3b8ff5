import Foundation

/// Dates as the admin and scripts read them: ISO 8601 with the offset of `organisation.timezone`.
public struct Timestamp: Sendable {
    public let timeZone: TimeZone

    public init(timeZone: TimeZone) {
        self.timeZone = timeZone
    }

    /// `2026-11-23T17:01:10+02:00`.
    public func iso8601(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(
            dateSeparator: .dash, dateTimeSeparator: .standard, timeSeparator: .colon, timeZoneSeparator: .colon,
            includingFractionalSeconds: false, timeZone: timeZone))
    }

    /// `2026-11-23 17:01` for people.
    public func readable(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d", parts.year!, parts.month!, parts.day!, parts.hour!, parts.minute!)
    }
}
