import Foundation

/// The `Date` header (RFC 5322 §3.3): `Mon, 23 Nov 2026 14:50:42 +0200`, English names whatever the
/// locale, the local time of the given zone with its numeric offset at that moment.
public enum MailDate {
    private static let days = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]  // 1 January 1970 was a Thursday
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Formats the moment in the zone; seconds are truncated, the offset rounded to whole minutes.
    public static func format(_ date: Date, in timeZone: TimeZone) -> String {
        let offset = timeZone.secondsFromGMT(for: date)
        let offsetMinutes = Int((Double(offset) / 60).rounded())
        let local = Int(date.timeIntervalSince1970.rounded(.down)) + offsetMinutes * 60
        let (dayNumber, secondOfDay) = local.quotientAndRemainderFlooring(dividingBy: 86_400)
        let (year, month, day) = civilDate(daysSinceEpoch: dayNumber)
        let weekday = days[dayNumber.quotientAndRemainderFlooring(dividingBy: 7).remainder]
        let sign = offsetMinutes < 0 ? "-" : "+"
        let absoluteOffset = abs(offsetMinutes)
        return "\(weekday), \(two(day)) \(months[month - 1]) \(year) "
            + "\(two(secondOfDay / 3600)):\(two(secondOfDay / 60 % 60)):\(two(secondOfDay % 60)) "
            + "\(sign)\(two(absoluteOffset / 60))\(two(absoluteOffset % 60))"
    }

    private static func two(_ value: Int) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }

    /// Proleptic Gregorian year, month and day of a day count from 1970-01-01 (Howard Hinnant's
    /// `civil_from_days`), exact for every date and free of calendar objects in the hot path.
    private static func civilDate(daysSinceEpoch: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = daysSinceEpoch + 719_468
        let era = shifted.quotientAndRemainderFlooring(dividingBy: 146_097).quotient
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

extension Int {
    /// Division rounding toward minus infinity, so dates before 1970 fall on the right day.
    func quotientAndRemainderFlooring(dividingBy divisor: Int) -> (quotient: Int, remainder: Int) {
        var (quotient, remainder) = quotientAndRemainder(dividingBy: divisor)
        if remainder < 0 {
            quotient -= 1
            remainder += divisor
        }
        return (quotient, remainder)
    }
}
