import Foundation
import Recurrence

/// The zone of RFC 5545's examples ("All examples assume the Eastern United States time zone").
let newYork = TimeZone(identifier: "America/New_York")!
/// The organisation's zone.
let helsinki = TimeZone(identifier: "Europe/Helsinki")!

/// A wall-clock time from its RFC 5545 form, `19970902T090000`, or as the config writes it,
/// `2027-01-13T09:00`: both are YYYYMMDDhhmm[ss] once the separators go.
func wallClock(_ text: String) -> WallClockTime {
    let digits = Array(text.filter(\.isNumber).padding(toLength: 14, withPad: "0", startingAt: 0))
    func number(_ range: Range<Int>) -> Int { Int(String(digits[range]))! }
    guard let time = WallClockTime(
        year: number(0..<4), month: number(4..<6), day: number(6..<8),
        hour: number(8..<10), minute: number(10..<12), second: number(12..<14))
    else { fatalError("not a wall-clock time in a test: \(text)") }
    return time
}

/// A calendar date from `2027-07-14`.
func calendarDate(_ text: String) -> CalendarDate {
    let parts = text.split(separator: "-").map { Int($0)! }
    return CalendarDate(year: parts[0], month: parts[1], day: parts[2])!
}

/// An instant from ISO 8601 with an offset, `2027-03-28T04:30:00+03:00`.
func instant(_ text: String) -> Date {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    guard let date = formatter.date(from: text) else { fatalError("not an ISO 8601 instant in a test: \(text)") }
    return date
}

/// An instant as the clocks of `zone` show it, with the UTC offset then in force:
/// `1997-09-02T09:00:00-04:00`. Foundation's formatter does this, independently of the evaluator.
func isoText(_ date: Date, in zone: TimeZone) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.timeZone = zone
    formatter.formatOptions = [.withInternetDateTime]
    return formatter.string(from: date)
}

/// The instants of a set (or of the first `limit` of an endless one) as `isoText` writes them.
func isoTexts(_ set: RecurrenceSet, limit: Int? = nil) -> [String] {
    let occurrences = limit.map { Array(set.prefix($0)) } ?? Array(set)
    return occurrences.map { isoText($0.date, in: set.timeZone) }
}

/// What the RFC writes as "(1997 9:00 AM EDT) September 2-11": days of one month, at one local
/// time, with one UTC offset, as `isoText` writes them.
func days(_ year: Int, _ month: Int, _ days: [Int], at time: String = "09:00", offset: String) -> [String] {
    days.map { day in
        "\(year)-\(twoDigits(month))-\(twoDigits(day))T\(time):00\(offset)"
    }
}

/// Eastern Daylight Time days at 9:00 (or `time`), as the RFC's "(1997 9:00 AM EDT)".
func edt(_ year: Int, _ month: Int, _ dayList: Int..., at time: String = "09:00") -> [String] {
    days(year, month, dayList, at: time, offset: "-04:00")
}

func edt(_ year: Int, _ month: Int, _ range: ClosedRange<Int>, at time: String = "09:00") -> [String] {
    days(year, month, Array(range), at: time, offset: "-04:00")
}

/// Eastern Standard Time days, as the RFC's "(1997 9:00 AM EST)".
func est(_ year: Int, _ month: Int, _ dayList: Int..., at time: String = "09:00") -> [String] {
    days(year, month, dayList, at: time, offset: "-05:00")
}

func est(_ year: Int, _ month: Int, _ range: ClosedRange<Int>, at time: String = "09:00") -> [String] {
    days(year, month, Array(range), at: time, offset: "-05:00")
}

private func twoDigits(_ value: Int) -> String {
    value < 10 ? "0\(value)" : "\(value)"
}
