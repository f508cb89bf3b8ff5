/// Day arithmetic on the proleptic Gregorian calendar, the one RFC 5545 counts in (§3.3.4).
///
/// Days are numbered from 1970-01-01 (day 0), so a wall-clock time maps to one integer and
/// stepping through a recurrence never touches a time zone: RFC 5545 expands rules in local
/// time, and only the finished instances are placed on the time line.
enum CivilCalendar {
    /// Days in 400 Gregorian years: the calendar repeats itself exactly after them
    /// (146097 is also a whole number of weeks, 20871).
    static let daysInCycle = 146_097

    static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    static func daysIn(year: Int) -> Int {
        isLeap(year) ? 366 : 365
    }

    /// The day number of a date (H. Hinnant's `days_from_civil`).
    static func dayNumber(year: Int, month: Int, day: Int) -> Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * daysInCycle + dayOfEra - 719_468
    }

    /// The date of a day number (H. Hinnant's `civil_from_days`).
    static func date(ofDayNumber number: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = number + 719_468
        let era = (shifted >= 0 ? shifted : shifted - (daysInCycle - 1)) / daysInCycle
        let dayOfEra = shifted - era * daysInCycle
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / (daysInCycle - 1)) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// 0 for Monday through 6 for Sunday, the order of `Weekday.allCases` (1970-01-01 was a Thursday).
    static func weekdayIndex(ofDayNumber number: Int) -> Int {
        floorMod(number + 3, 7)
    }

    /// The day number on which week 1 of `year` begins when weeks start on `weekStart` (0 = Monday).
    ///
    /// RFC 5545 §3.3.10 (BYWEEKNO): "Week number one of the calendar year is the first week that
    /// contains at least four (4) days in that calendar year", which is the week holding 4 January.
    static func weekOneStart(year: Int, weekStart: Int) -> Int {
        let fourthOfJanuary = dayNumber(year: year, month: 1, day: 4)
        return fourthOfJanuary - floorMod(weekdayIndex(ofDayNumber: fourthOfJanuary) - weekStart, 7)
    }
}

/// The remainder that is never negative, for counting in cycles (days of the week, hours of the day).
func floorMod(_ value: Int, _ divisor: Int) -> Int {
    let remainder = value % divisor
    return remainder < 0 ? remainder + divisor : remainder
}

/// Division rounding towards minus infinity.
func floorDivide(_ value: Int, _ divisor: Int) -> Int {
    (value - floorMod(value, divisor)) / divisor
}

func greatestCommonDivisor(_ first: Int, _ second: Int) -> Int {
    var (a, b) = (abs(first), abs(second))
    while b != 0 { (a, b) = (b, a % b) }
    return a
}
