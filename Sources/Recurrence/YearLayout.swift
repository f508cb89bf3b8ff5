/// What the BYxxx rule parts ask of one year: where it starts, how long it and its months are,
/// and where its weeks begin for the rule's WKST.
struct YearLayout {
    let year: Int
    /// Day number of 1 January.
    let firstDay: Int
    let length: Int
    /// Day-of-year (from 0) on which each month begins; index 1...12, and 13 is the year's length.
    let monthStarts: [Int]
    /// Day numbers on which week 1 of the previous, this, the next and the year after begin.
    let weekOneStarts: [Int]

    init(year: Int, weekStart: Int) {
        self.year = year
        firstDay = CivilCalendar.dayNumber(year: year, month: 1, day: 1)
        length = CivilCalendar.daysIn(year: year)
        var starts = [0, 0]
        for month in 1...12 { starts.append(starts[month] + CivilCalendar.daysIn(month: month, year: year)) }
        monthStarts = starts
        weekOneStarts = (-1...2).map { CivilCalendar.weekOneStart(year: year + $0, weekStart: weekStart) }
    }

    func daysIn(month: Int) -> Int {
        monthStarts[month + 1] - monthStarts[month]
    }

    /// The facts of `day` of `month` in this year.
    func day(month: Int, day: Int) -> DayFacts {
        let dayOfYear = monthStarts[month] + day - 1
        return DayFacts(
            number: firstDay + dayOfYear, month: month, day: day, dayOfYear: dayOfYear,
            monthLength: daysIn(month: month), yearLength: length,
            weekday: CivilCalendar.weekdayIndex(ofDayNumber: firstDay + dayOfYear))
    }

    /// The facts of the day `dayOfYear` (from 0) of this year.
    func day(ofYear dayOfYear: Int) -> DayFacts {
        var month = 1
        while monthStarts[month + 1] <= dayOfYear { month += 1 }
        return day(month: month, day: dayOfYear - monthStarts[month] + 1)
    }

    /// The week number of a day of this year (1...53) and how many weeks its week-numbering
    /// year has, so that -1 can name the last. Days early in January may belong to the last week
    /// of the previous year, and days late in December to week 1 of the next (RFC 5545 §3.3.10).
    func week(ofDayNumber number: Int) -> (number: Int, weeksInYear: Int) {
        let index = number < weekOneStarts[1] ? 0 : number < weekOneStarts[2] ? 1 : 2
        let start = weekOneStarts[index]
        return ((number - start) / 7 + 1, (weekOneStarts[index + 1] - start) / 7)
    }
}

/// One day as the day-level rule parts (BYMONTH, BYWEEKNO, BYYEARDAY, BYMONTHDAY, BYDAY) see it.
struct DayFacts {
    /// Day number (days since 1970-01-01).
    let number: Int
    let month: Int
    let day: Int
    /// From 0.
    let dayOfYear: Int
    let monthLength: Int
    let yearLength: Int
    /// 0 for Monday through 6 for Sunday.
    let weekday: Int
}

/// The layouts of the last years asked for: a period looks at one year, or two when a week
/// spans New Year.
struct YearLayoutCache {
    private var layouts: [YearLayout] = []

    mutating func layout(year: Int, weekStart: Int) -> YearLayout {
        if let layout = layouts.first(where: { $0.year == year }) { return layout }
        let layout = YearLayout(year: year, weekStart: weekStart)
        if layouts.count >= 2 { layouts.removeFirst() }
        layouts.append(layout)
        return layout
    }

    mutating func day(number: Int, weekStart: Int) -> (DayFacts, YearLayout) {
        if let layout = layouts.last(where: { $0.firstDay <= number && number < $0.firstDay + $0.length }) {
            return (layout.day(ofYear: number - layout.firstDay), layout)
        }
        let date = CivilCalendar.date(ofDayNumber: number)
        let layout = layout(year: date.year, weekStart: weekStart)
        return (layout.day(month: date.month, day: date.day), layout)
    }
}
