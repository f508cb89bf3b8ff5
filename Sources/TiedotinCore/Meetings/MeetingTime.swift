import Foundation

/// How members read a meeting's time, in the organisation's language with an explicit locale:
/// `ke 10.2.2027 klo 13–15` in Finnish, `ons 10.2.2027 kl. 13–15` in Swedish.
struct MeetingTime: Sendable {
    let language: Configuration.Language
    let timeZone: TimeZone

    /// The start's weekday and date with the span of hours; a meeting over midnight shows both ends in full.
    func span(_ start: Date, _ end: Date) -> String {
        let first = components(start)
        let last = components(end)
        let sameDay = (first.year, first.month, first.day) == (last.year, last.month, last.day)
        if sameDay {
            return "\(day(start)) \(clockWord) \(clock(first))–\(clock(last))"
        }
        return "\(day(start)) \(clockWord) \(clock(first)) – \(day(end)) \(clockWord) \(clock(last))"
    }

    /// `ke 10.2.2027`.
    func day(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: language == .swedish ? "sv_FI" : "fi_FI")
        formatter.timeZone = timeZone
        formatter.dateFormat = "EEE d.M.yyyy"
        return formatter.string(from: date)
    }

    private var clockWord: String { language == .swedish ? "kl." : "klo" }

    /// `13` on the hour, `13.30` otherwise (the Finnish and Finland-Swedish way).
    private func clock(_ parts: DateComponents) -> String {
        let hour = parts.hour ?? 0, minute = parts.minute ?? 0
        return minute == 0 ? "\(hour)" : String(format: "%d.%02d", hour, minute)
    }

    private func components(_ date: Date) -> DateComponents {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
    }
}
