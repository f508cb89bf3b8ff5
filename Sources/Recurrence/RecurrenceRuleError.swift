/// Why a text is not a valid RFC 5545 RRULE. Each message names the offending part as written
/// and says what to write instead, for the admin reading it next to the config line.
public enum RecurrenceRuleError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Nothing but spaces.
    case empty
    /// `;;` or a `;` at the end.
    case emptyPart
    /// A space inside the rule: the grammar has none.
    case containsSpace(part: String)
    /// A part without `=`.
    case notNameValue(part: String)
    /// A name RFC 5545 does not define.
    case unknownPart(part: String, name: String)
    /// A name given twice (RFC 5545 §3.3.10: each rule part at most once).
    case repeatedPart(name: String)
    /// No `FREQ`.
    case missingFrequency
    case unknownFrequency(part: String, value: String)
    /// `BYDAY=` or `BYDAY=MO,,TU`.
    case emptyValue(part: String)
    case notANumber(part: String, value: String, allowed: String)
    case outOfRange(part: String, value: String, allowed: String)
    case notAWeekday(part: String, value: String)
    case badUntil(part: String, value: String)
    /// RFC 5545 §3.3.10: UNTIL and COUNT must not occur in the same rule.
    case countAndUntil
    /// A numbered `BYDAY` (`1TU`) with a FREQ other than MONTHLY or YEARLY.
    case ordinalNeedsMonthlyOrYearly(part: String, frequency: Frequency)
    /// A numbered `BYDAY` with FREQ=YEARLY and BYWEEKNO.
    case ordinalWithWeekNumber(part: String)
    /// A BY part the RFC forbids with this FREQ (BYMONTHDAY with WEEKLY, BYYEARDAY, BYWEEKNO).
    case notWithFrequency(name: String, frequency: Frequency, allowed: String)
    /// BYSETPOS with no other BY part to pick from.
    case setPositionAlone

    public var description: String {
        switch self {
        case .empty:
            "the rule is empty; write one such as FREQ=MONTHLY;BYDAY=1TU"
        case .emptyPart:
            "an empty part between two semicolons or at the end; remove the extra ;"
        case .containsSpace(let part):
            "\"\(part)\": an RRULE has no spaces; remove them"
        case .notNameValue(let part):
            "\(part): a rule part is NAME=VALUE; write for example FREQ=WEEKLY"
        case .unknownPart(let part, let name):
            "\(part): \(name) is not an RRULE part; write FREQ, UNTIL, COUNT, INTERVAL, BYSECOND, BYMINUTE, "
                + "BYHOUR, BYDAY, BYMONTHDAY, BYYEARDAY, BYWEEKNO, BYMONTH, BYSETPOS or WKST"
        case .repeatedPart(let name):
            "\(name) appears more than once; give each part once"
        case .missingFrequency:
            "FREQ is missing; add one such as FREQ=MONTHLY "
                + "(SECONDLY, MINUTELY, HOURLY, DAILY, WEEKLY, MONTHLY or YEARLY)"
        case .unknownFrequency(let part, let value):
            "\(part): \(value) is not a frequency; write SECONDLY, MINUTELY, HOURLY, DAILY, WEEKLY, MONTHLY or YEARLY"
        case .emptyValue(let part):
            "\(part): a value is missing; give one or more values separated by commas"
        case .notANumber(let part, let value, let allowed):
            "\(part): \(value) is not a whole number; write \(allowed)"
        case .outOfRange(let part, let value, let allowed):
            "\(part): \(value) is out of range; write \(allowed)"
        case .notAWeekday(let part, let value):
            "\(part): \(value) is not a weekday; write MO, TU, WE, TH, FR, SA or SU"
        case .badUntil(let part, let value):
            "\(part): \(value) is not a date or date-time; write YYYYMMDD or YYYYMMDDTHHMMSSZ, "
                + "such as 20271231 or 20271231T220000Z"
        case .countAndUntil:
            "COUNT and UNTIL are both given; keep one of them"
        case .ordinalNeedsMonthlyOrYearly(let part, let frequency):
            "\(part): a number before the weekday needs FREQ=MONTHLY or FREQ=YEARLY, not FREQ=\(frequency.rawValue); "
                + "write the weekday alone or change FREQ"
        case .ordinalWithWeekNumber(let part):
            "\(part): a number before the weekday cannot be combined with BYWEEKNO; write the weekday alone"
        case .notWithFrequency(let name, let frequency, let allowed):
            "\(name) cannot be used with FREQ=\(frequency.rawValue); use it with \(allowed) or remove it"
        case .setPositionAlone:
            "BYSETPOS needs another BY part (such as BYDAY) to pick from; add one or remove BYSETPOS"
        }
    }
}
