/// A Gregorian date and time of day without a zone, computed from seconds since 1970 by arithmetic
/// alone: rendering hundreds of invitations must not pay for `Calendar` or `DateFormatter` each time.
struct CivilTime: Equatable, Sendable {
    var year: Int
    var month: Int
    var day: Int
    var hour: Int
    var minute: Int
    var second: Int

    /// 0 for Sunday through 6 for Saturday.
    var weekday: Int {
        let days = Self.daysSinceEpoch(year: year, month: month, day: day)
        return Int(((days + 4) % 7 + 7) % 7)  // 1970-01-01 was a Thursday
    }

    /// The seconds within the day, for comparing times of day.
    var secondOfDay: Int { hour * 3600 + minute * 60 + second }

    /// The wall-clock time `seconds` after 1970-01-01T00:00:00 (already shifted by any offset).
    init(secondsSinceEpoch seconds: Int64) {
        let days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
        let secondOfDay = Int(seconds - days * 86400)
        // Howard Hinnant's civil_from_days: eras of 400 years, March-based years.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        day = Int(dayOfYear - (153 * monthIndex + 2) / 5 + 1)
        month = Int(monthIndex < 10 ? monthIndex + 3 : monthIndex - 9)
        year = Int(yearOfEra + era * 400) + (month <= 2 ? 1 : 0)
        hour = secondOfDay / 3600
        minute = secondOfDay / 60 % 60
        second = secondOfDay % 60
    }

    /// Days from 1970-01-01 to the given date (Hinnant's days_from_civil).
    static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let m = Int64(month)
        let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// Seconds from 1970-01-01T00:00:00 to midnight starting January 1 of `year`.
    static func secondsSinceEpoch(startOfYear year: Int) -> Int64 {
        daysSinceEpoch(year: year, month: 1, day: 1) * 86400
    }

    /// The number of days in the given month.
    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// RFC 5545 §3.3.5 form 1 (local time), `YYYYMMDDTHHMMSS`, appended as ASCII.
    func appendCompact(to output: inout [UInt8]) {
        Self.appendDigits(year, count: 4, to: &output)
        Self.appendDigits(month, count: 2, to: &output)
        Self.appendDigits(day, count: 2, to: &output)
        output.append(UInt8(ascii: "T"))
        Self.appendDigits(hour, count: 2, to: &output)
        Self.appendDigits(minute, count: 2, to: &output)
        Self.appendDigits(second, count: 2, to: &output)
    }

    /// `YYYYMMDDTHHMMSS` as text.
    var compact: String {
        var bytes: [UInt8] = []
        appendCompact(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func appendDigits(_ value: Int, count: Int, to output: inout [UInt8]) {
        var divisor = 1
        for _ in 1..<count { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            output.append(UInt8(ascii: "0") + UInt8(rest / divisor % 10))
            rest %= divisor
            divisor /= 10
        }
    }
}
