import Foundation

extension LocalDateTime {
    /// Reads `2027-02-10T13:00` (a space may stand for the `T`; seconds `:00` are allowed) or a date
    /// alone, `2027-07-14`. Nil when the text is neither or names no real day or time.
    public init?(parsing text: String) {
        let characters = Array(text.trimmingCharacters(in: .whitespaces))
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= characters.count else { return nil }
            let slice = characters[range]
            guard slice.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            return Int(String(slice))
        }
        guard characters.count >= 10, characters[4] == "-", characters[7] == "-",
              let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              (1...12).contains(month), (1...Self.days(inMonth: month, year: year)).contains(day)
        else { return nil }
        if characters.count == 10 {
            self.init(year: year, month: month, day: day)
            return
        }
        guard characters.count == 16 || (characters.count == 19 && characters[16] == ":" && number(17..<19) == 0),
              characters[10] == "T" || characters[10] == " ", characters[13] == ":",
              let hour = number(11..<13), let minute = number(14..<16), hour <= 23, minute <= 59
        else { return nil }
        self.init(year: year, month: month, day: day, hour: hour, minute: minute)
    }

    /// True when this has a time of day, not just a date.
    public var hasTime: Bool { hour != nil }

    /// The date part alone (time dropped).
    public var date: LocalDateTime { LocalDateTime(year: year, month: month, day: day) }

    /// The wall-clock moment in `timeZone`, or nil when that time does not exist there
    /// (it falls in the hour skipped when daylight-saving time begins). A date alone means its midnight.
    public func instant(in timeZone: TimeZone) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let components = DateComponents(year: year, month: month, day: day, hour: hour ?? 0, minute: minute ?? 0)
        guard let date = calendar.date(from: components) else { return nil }
        let back = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        guard back.year == year, back.month == month, back.day == day, back.hour == (hour ?? 0),
              back.minute == (minute ?? 0)
        else { return nil }
        return date
    }

    private static func days(inMonth month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
