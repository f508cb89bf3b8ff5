/// Turns a recurrence rule into wall-clock instances, one period (year, month, week, day, hour,
/// minute or second, per FREQ) at a time, as RFC 5545 §3.3.10 describes.
///
/// Periods are numbered in units of the frequency (years, months, days for WEEKLY and DAILY,
/// hours, minutes, seconds), counted on the wall clock, so INTERVAL is plain addition and the
/// evaluation never depends on a time zone. Within a period every BYxxx part either expands the
/// set or limits it (the table in §3.3.10); both come to the same thing as asking, of every day
/// and time in the period, whether it matches every part present, which is how this works.
/// BYSETPOS then picks from the period's sorted set.
struct RuleExpander: Sendable {
    let frequency: Frequency
    /// Units from one period to the next: INTERVAL, times 7 for WEEKLY (counted in days).
    let step: Int
    /// The period DTSTART falls in.
    let firstPeriod: Int
    /// After this many units without an instance, no period will ever produce one; nil when
    /// too large to count (the year-9999 end still bounds the search).
    let horizon: Int?
    /// True when the rule can be seen to produce nothing at all.
    let isEmpty: Bool

    private let weekStart: Int
    private let months: [Bool]?
    private let monthDays: [Int]?
    private let yearDays: [Int]?
    private let weekNumbers: [Int]?
    /// Weekdays given without a number (index 0 = Monday), and those given with one.
    private let plainWeekdays: [Bool]?
    private let numberedWeekdays: [NumberedWeekday]
    private let numberedWithinMonth: Bool
    private let allowedHours: [Bool]
    private let allowedMinutes: [Bool]
    private let allowedSeconds: [Bool]
    /// Times of day the rule expands into, for the levels coarser than its frequency.
    private let hours: [Int]
    private let minutes: [Int]
    private let seconds: [Int]
    private let setPositions: [Int]

    private struct NumberedWeekday: Sendable {
        let weekday: Int
        let ordinal: Int
    }

    init(rule: RecurrenceRule, start: WallClockTime) {
        let frequency = rule.frequency
        self.frequency = frequency
        let interval = max(1, rule.interval)
        step = frequency == .weekly ? interval * 7 : interval
        weekStart = rule.weekStart.index

        // "Information, not contained in the rule, necessary to determine the various recurrence
        // instance start time and dates are derived from the Start Time ("DTSTART")" (§3.3.10):
        // a YEARLY rule without day parts falls on DTSTART's month and day, a MONTHLY one on its
        // day of the month, a WEEKLY one on its weekday.
        let hasDayParts = !rule.byWeekNumber.isEmpty || !rule.byYearDay.isEmpty || !rule.byMonthDay.isEmpty
            || !rule.byDay.isEmpty
        var byMonth = rule.byMonth
        var byMonthDay = rule.byMonthDay
        var byDay = rule.byDay
        if !hasDayParts {
            switch frequency {
            case .yearly:
                if byMonth.isEmpty { byMonth = [start.month] }
                byMonthDay = [start.day]
            case .monthly:
                byMonthDay = [start.day]
            case .weekly:
                byDay = [WeekdayNumber(start.date.weekday)]
            default:
                break
            }
        }
        months = byMonth.isEmpty ? nil : (0...12).map { byMonth.contains($0) }
        monthDays = byMonthDay.isEmpty ? nil : byMonthDay
        yearDays = rule.byYearDay.isEmpty ? nil : rule.byYearDay
        weekNumbers = rule.byWeekNumber.isEmpty ? nil : rule.byWeekNumber
        let plain = byDay.filter { $0.ordinal == nil }.map(\.weekday.index)
        plainWeekdays = byDay.isEmpty ? nil : (0..<7).map { plain.contains($0) }
        numberedWeekdays = byDay.compactMap { entry in
            entry.ordinal.map { NumberedWeekday(weekday: entry.weekday.index, ordinal: $0) }
        }
        // "The numeric value in a BYDAY rule part with the FREQ rule part set to YEARLY corresponds
        // to an offset within the month when the BYMONTH rule part is present" (§3.3.10).
        numberedWithinMonth = frequency != .yearly || !rule.byMonth.isEmpty

        allowedHours = (0..<24).map { rule.byHour.isEmpty || rule.byHour.contains($0) }
        allowedMinutes = (0..<60).map { rule.byMinute.isEmpty || rule.byMinute.contains($0) }
        // Second 60 (a leap second, allowed by §3.3.10) names no instant on Foundation's time line:
        // an invalid time, which §3.3.10 says "MUST be ignored".
        allowedSeconds = (0..<60).map { rule.bySecond.isEmpty || rule.bySecond.contains($0) }
        func list(_ values: [Int], default value: Int, allowed: [Bool]) -> [Int] {
            values.isEmpty ? [value] : allowed.indices.filter { allowed[$0] }
        }
        hours = list(rule.byHour, default: start.hour, allowed: allowedHours)
        minutes = list(rule.byMinute, default: start.minute, allowed: allowedMinutes)
        seconds = list(rule.bySecond, default: start.second, allowed: allowedSeconds)
        setPositions = rule.bySetPosition

        let startDay = start.dayNumber
        switch frequency {
        case .yearly: firstPeriod = start.year
        case .monthly: firstPeriod = start.year * 12 + start.month - 1
        case .weekly: firstPeriod = startDay - floorMod(CivilCalendar.weekdayIndex(ofDayNumber: startDay) - weekStart, 7)
        case .daily: firstPeriod = startDay
        case .hourly: firstPeriod = startDay * 24 + start.hour
        case .minutely: firstPeriod = (startDay * 24 + start.hour) * 60 + start.minute
        case .secondly: firstPeriod = start.secondsSinceEpoch
        }

        // A period's instances depend only on where it falls in the 400-year Gregorian cycle, and
        // after lcm(cycle, step) units the periods have visited every place in it they ever will.
        let cycle = Self.unitsInCycle(frequency)
        let (product, overflow) = (cycle / greatestCommonDivisor(cycle, step)).multipliedReportingOverflow(by: step)
        horizon = overflow ? nil : product

        // BYSETPOS positions beyond the largest set a period can hold pick nothing, ever.
        let timesPerDay = (frequency <= .hourly ? 1 : hours.count) * (frequency <= .minutely ? 1 : minutes.count)
            * (frequency == .secondly ? 1 : seconds.count)
        let largestSet = Self.mostDaysInPeriod(frequency, byMonthDay: byMonthDay, byYearDay: rule.byYearDay, byDay: byDay)
            * timesPerDay
        let setPositionsReachable = rule.bySetPosition.isEmpty || rule.bySetPosition.contains { abs($0) <= largestSet }

        isEmpty = hours.isEmpty || minutes.isEmpty || seconds.isEmpty || !setPositionsReachable
            || !Self.timeOfDayReachable(
                frequency: frequency, step: step, firstPeriod: firstPeriod,
                hours: allowedHours, minutes: allowedMinutes, seconds: allowedSeconds)
    }

    /// The period holding the wall-clock time `seconds` (seconds since 1970 on the wall clock),
    /// rounded down to one the rule visits, and never before the first.
    func period(containing seconds: Int) -> Int {
        let time = WallClockTime(secondsSinceEpoch: seconds)
        let day = floorDivide(seconds, 86_400)
        let unit: Int = switch frequency {
        case .yearly: time.year
        case .monthly: time.year * 12 + time.month - 1
        case .weekly, .daily: day
        case .hourly: floorDivide(seconds, 3600)
        case .minutely: floorDivide(seconds, 60)
        case .secondly: seconds
        }
        return firstPeriod + max(0, floorDivide(unit - firstPeriod, step)) * step
    }

    /// Wall-clock seconds at which `period` begins.
    func startSeconds(of period: Int) -> Int {
        switch frequency {
        case .yearly: CivilCalendar.dayNumber(year: period, month: 1, day: 1) * 86_400
        case .monthly:
            CivilCalendar.dayNumber(year: floorDivide(period, 12), month: floorMod(period, 12) + 1, day: 1) * 86_400
        case .weekly, .daily: period * 86_400
        case .hourly: period * 3600
        case .minutely: period * 60
        case .secondly: period
        }
    }

    /// The instances the rule gives in `period`, in order, BYSETPOS applied; DTSTART, COUNT and
    /// UNTIL are for the caller.
    func instances(in period: Int, layouts: inout YearLayoutCache) -> [WallClockTime] {
        var days: [DayFacts] = []
        switch frequency {
        case .yearly:
            let layout = layouts.layout(year: period, weekStart: weekStart)
            for month in 1...12 where months?[month] ?? true {
                for day in 1...layout.daysIn(month: month) {
                    let facts = layout.day(month: month, day: day)
                    if matches(facts, layout) { days.append(facts) }
                }
            }
        case .monthly:
            let month = floorMod(period, 12) + 1
            guard months?[month] ?? true else { return [] }
            let layout = layouts.layout(year: floorDivide(period, 12), weekStart: weekStart)
            for day in 1...layout.daysIn(month: month) {
                let facts = layout.day(month: month, day: day)
                if matches(facts, layout) { days.append(facts) }
            }
        case .weekly:
            for number in period..<(period + 7) {
                let (facts, layout) = layouts.day(number: number, weekStart: weekStart)
                if matches(facts, layout) { days.append(facts) }
            }
        case .daily, .hourly, .minutely, .secondly:
            let (facts, layout) = layouts.day(number: floorDivide(startSeconds(of: period), 86_400), weekStart: weekStart)
            if matches(facts, layout) { days.append(facts) }
        }
        if days.isEmpty { return [] }

        // The levels at or finer than FREQ come from the period and are only limited; coarser ones expand.
        let periodTime = WallClockTime(secondsSinceEpoch: startSeconds(of: period))
        var hours = self.hours, minutes = self.minutes, seconds = self.seconds
        if frequency <= .hourly { hours = allowedHours[periodTime.hour] ? [periodTime.hour] : [] }
        if frequency <= .minutely { minutes = allowedMinutes[periodTime.minute] ? [periodTime.minute] : [] }
        if frequency == .secondly { seconds = allowedSeconds[periodTime.second] ? [periodTime.second] : [] }

        var result: [WallClockTime] = []
        result.reserveCapacity(days.count * hours.count * minutes.count * seconds.count)
        for facts in days {
            let date = CalendarDate(dayNumber: facts.number)
            for hour in hours {
                for minute in minutes {
                    for second in seconds {
                        result.append(WallClockTime(
                            checkedYear: date.year, month: date.month, day: date.day,
                            hour: hour, minute: minute, second: second))
                    }
                }
            }
        }
        return pickSetPositions(result)
    }

    /// A unit after `period` before which, since `period` produced nothing, no instance can fall;
    /// lets finer frequencies jump over a day, month or hour that a BY part rules out.
    func skipTarget(afterEmpty period: Int, layouts: inout YearLayoutCache) -> Int {
        guard frequency <= .daily else { return period + step }
        let seconds = startSeconds(of: period)
        let dayNumber = floorDivide(seconds, 86_400)
        let (facts, layout) = layouts.day(number: dayNumber, weekStart: weekStart)
        let unitSeconds = Self.secondsPerUnit(frequency)
        func unit(atSeconds target: Int) -> Int { max(period + 1, floorDivide(target, unitSeconds)) }

        if !matches(facts, layout) {
            if let months, !months[facts.month] {
                return unit(atSeconds: (facts.number - facts.day + 1 + facts.monthLength) * 86_400)
            }
            return unit(atSeconds: (dayNumber + 1) * 86_400)
        }
        let time = WallClockTime(secondsSinceEpoch: seconds)
        let dayStart = dayNumber * 86_400
        if frequency <= .hourly, !allowedHours[time.hour] {
            let next = (time.hour + 1..<24).first { allowedHours[$0] }
            return unit(atSeconds: next.map { dayStart + $0 * 3600 } ?? dayStart + 86_400)
        }
        let hourStart = dayStart + time.hour * 3600
        if frequency <= .minutely, !allowedMinutes[time.minute] {
            let next = (time.minute + 1..<60).first { allowedMinutes[$0] }
            return unit(atSeconds: next.map { hourStart + $0 * 60 } ?? hourStart + 3600)
        }
        let minuteStart = hourStart + time.minute * 60
        if frequency == .secondly, !allowedSeconds[time.second] {
            let next = (time.second + 1..<60).first { allowedSeconds[$0] }
            return unit(atSeconds: next.map { minuteStart + $0 } ?? minuteStart + 60)
        }
        return period + 1
    }

    /// Whether `day` passes every day-level part present.
    private func matches(_ day: DayFacts, _ layout: YearLayout) -> Bool {
        if let months, !months[day.month] { return false }
        if let monthDays, !monthDays.contains(where: { $0 == day.day || $0 == day.day - day.monthLength - 1 }) {
            return false
        }
        if let yearDays,
           !yearDays.contains(where: { $0 == day.dayOfYear + 1 || $0 == day.dayOfYear - day.yearLength }) {
            return false
        }
        if let weekNumbers {
            let week = layout.week(ofDayNumber: day.number)
            if !weekNumbers.contains(where: { $0 == week.number || $0 == week.number - week.weeksInYear - 1 }) {
                return false
            }
        }
        if let plainWeekdays, !plainWeekdays[day.weekday] {
            guard !numberedWeekdays.isEmpty else { return false }
            let (fromStart, fromEnd) = numberedWithinMonth
                ? ((day.day - 1) / 7 + 1, -((day.monthLength - day.day) / 7 + 1))
                : (day.dayOfYear / 7 + 1, -((day.yearLength - 1 - day.dayOfYear) / 7 + 1))
            return numberedWeekdays.contains {
                $0.weekday == day.weekday && ($0.ordinal == fromStart || $0.ordinal == fromEnd)
            }
        }
        return true
    }

    /// BYSETPOS: "the nth occurrence within the set of recurrence instances specified by the rule",
    /// counting from the end when negative (§3.3.10).
    private func pickSetPositions(_ set: [WallClockTime]) -> [WallClockTime] {
        guard !setPositions.isEmpty, !set.isEmpty else { return set }
        let indices = setPositions.compactMap { position -> Int? in
            let index = position > 0 ? position - 1 : set.count + position
            return set.indices.contains(index) ? index : nil
        }
        return Set(indices).sorted().map { set[$0] }
    }

    /// An upper bound on the days one period can give, for judging BYSETPOS.
    private static func mostDaysInPeriod(
        _ frequency: Frequency, byMonthDay: [Int], byYearDay: [Int], byDay: [WeekdayNumber]
    ) -> Int {
        let weekdays = Set(byDay.map(\.weekday)).count
        let dayEntries = byDay.allSatisfy { $0.ordinal != nil } ? byDay.count : nil
        switch frequency {
        case .yearly:
            var most = 366
            if !byYearDay.isEmpty { most = min(most, Set(byYearDay).count) }
            if !byMonthDay.isEmpty { most = min(most, 12 * Set(byMonthDay).count) }
            if !byDay.isEmpty { most = min(most, dayEntries.map { $0 * 12 } ?? 53 * weekdays) }
            return most
        case .monthly:
            var most = 31
            if !byMonthDay.isEmpty { most = min(most, Set(byMonthDay).count) }
            if !byDay.isEmpty { most = min(most, dayEntries ?? 5 * weekdays) }
            return most
        case .weekly:
            return byDay.isEmpty ? 7 : weekdays
        default:
            return 1
        }
    }

    private static func secondsPerUnit(_ frequency: Frequency) -> Int {
        switch frequency {
        case .hourly: 3600
        case .minutely: 60
        case .secondly: 1
        default: 86_400
        }
    }

    private static func unitsInCycle(_ frequency: Frequency) -> Int {
        switch frequency {
        case .yearly: 400
        case .monthly: 400 * 12
        case .weekly, .daily: CivilCalendar.daysInCycle
        case .hourly: CivilCalendar.daysInCycle * 24
        case .minutely: CivilCalendar.daysInCycle * 1440
        case .secondly: CivilCalendar.daysInCycle * 86_400
        }
    }

    /// For HOURLY, MINUTELY and SECONDLY: whether the periods ever fall on a time of day that
    /// BYHOUR, BYMINUTE and BYSECOND allow. Periods are `step` units apart, so the times of day they
    /// reach are those congruent to the first one modulo gcd(step, units in a day).
    private static func timeOfDayReachable(
        frequency: Frequency, step: Int, firstPeriod: Int, hours: [Bool], minutes: [Bool], seconds: [Bool]
    ) -> Bool {
        guard frequency <= .hourly else { return true }
        let unitSeconds = secondsPerUnit(frequency)
        let unitsPerDay = 86_400 / unitSeconds
        let modulus = greatestCommonDivisor(step, unitsPerDay)
        let residue = floorMod(firstPeriod, modulus)
        for hour in 0..<24 where hours[hour] {
            for minute in 0..<(frequency <= .minutely ? 60 : 1) where frequency == .hourly || minutes[minute] {
                for second in 0..<(frequency == .secondly ? 60 : 1) where frequency != .secondly || seconds[second] {
                    let unitOfDay = (hour * 3600 + minute * 60 + second) / unitSeconds
                    if unitOfDay % modulus == residue { return true }
                }
            }
        }
        return false
    }
}
