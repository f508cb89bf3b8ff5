import Foundation

/// Why a calendar could not be written. The text names the property at fault, for the admin reading the
/// log: every case is input that would have produced a broken or forged iCalendar object.
public enum ICalendarError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A CR, LF or Unicode line separator in a value that is not free text (UID, address, name, URL, time
    /// zone): refused, so that nobody can add properties of their own.
    case lineBreak(property: String)
    /// A control character other than a tab in a value that is not free text.
    case controlCharacter(property: String)
    /// A value that must not be empty, e.g. the UID or the product identifier.
    case emptyValue(property: String)
    /// An e-mail address that cannot be written as a `mailto:` URI (RFC 5545 §3.3.3, RFC 6068).
    case invalidAddress(property: String, address: String, reason: String)
    /// A URL with spaces, control characters or non-ASCII in it, which a URI value cannot carry (§3.3.13).
    case invalidURL(String)
    /// An end that is not after the start (RFC 5545 §3.8.2.2: DTEND must be later than DTSTART).
    case endNotAfterStart(start: Date, end: Date)
    /// A negative SEQUENCE (RFC 5545 §3.8.7.4 counts revisions from 0).
    case negativeSequence(Int)
    /// A date whose year cannot be written with four digits.
    case dateOutOfRange(property: String, date: Date)
    /// A time zone definition made for another zone than the invitation's.
    case timeZoneMismatch(invitation: String, definition: String)
    /// A time outside the years a time zone definition was made for.
    case outsideTimeZoneDefinition(property: String, date: Date, timeZone: String, years: ClosedRange<Int>)
    /// Years for a time zone definition outside what a DATE-TIME can carry.
    case yearsOutOfRange(ClosedRange<Int>)

    public var description: String {
        switch self {
        case .lineBreak(let property):
            "the \(property) value contains a line break (CR, LF or a Unicode line separator); refused so that no calendar property can be injected"
        case .controlCharacter(let property):
            "the \(property) value contains a control character"
        case .emptyValue(let property):
            "the \(property) value is empty"
        case .invalidAddress(let property, let address, let reason):
            "the address \(String(reflecting: address)) in \(property) cannot be written as a mailto: URI: \(reason)"
        case .invalidURL(let url):
            "\(String(reflecting: url)) is not a URL a calendar can carry (it has spaces, control characters or non-ASCII)"
        case .endNotAfterStart(let start, let end):
            "the event ends (\(end)) before or when it starts (\(start))"
        case .negativeSequence(let sequence):
            "the SEQUENCE \(sequence) is negative; revisions count up from 0"
        case .dateOutOfRange(let property, let date):
            "the \(property) date \(date) is outside the years 1–9999 a calendar can carry"
        case .timeZoneMismatch(let invitation, let definition):
            "the invitation is in the time zone \(invitation) but the time zone definition given is for \(definition)"
        case .outsideTimeZoneDefinition(let property, let date, let timeZone, let years):
            "the \(property) time \(date) is outside the years \(years.lowerBound)–\(years.upperBound) the \(timeZone) definition covers"
        case .yearsOutOfRange(let years):
            "a time zone definition for the years \(years.lowerBound)–\(years.upperBound) cannot be written; years must lie within 1601–9998"
        }
    }
}
