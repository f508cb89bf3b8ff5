import Foundation

/// One meeting invitation or cancellation for one attendee: an iCalendar object (RFC 5545) with the
/// iTIP method REQUEST or CANCEL (RFC 5546), for the `text/calendar` part of the mail, which Outlook,
/// Google Calendar and Apple Calendar show with accept and decline.
///
/// An update is a REQUEST with the same `uid` and a higher `sequence`; a cancellation is a CANCEL with the
/// same `uid` and a higher `sequence` (see `cancellation(stamp:)`). Times are written as wall-clock times
/// with the TZID of `timeZone`, and the calendar carries that zone's VTIMEZONE.
///
/// No VALARM is written: RFC 5546 allows one in a REQUEST, but Outlook and Google Calendar drop it and
/// apply the recipient's own reminder, and Apple Calendar by default removes alerts from invitations; the
/// recipients' reminder settings are theirs to choose.
public struct CalendarInvitation: Sendable, Equatable {
    /// The iTIP method (RFC 5546 §1.4), also the `method` parameter of the MIME part.
    public enum Method: String, Sendable, Equatable {
        /// §3.2.2: an invitation, or an update of one.
        case request = "REQUEST"
        /// §3.2.5: the meeting is cancelled.
        case cancel = "CANCEL"
    }

    /// REQUEST or CANCEL.
    public var method: Method
    /// The meeting's identifier, the same in every invitation, update and cancellation of it (§3.8.4.7).
    public var uid: String
    /// The revision: 0 for the first invitation, higher for each update or cancellation (§3.8.7.4).
    public var sequence: Int
    /// When this revision was made: DTSTAMP, written in UTC (§3.8.7.2).
    public var stamp: Date
    /// When the meeting starts.
    public var start: Date
    /// When the meeting ends; must be after `start`.
    public var end: Date
    /// The zone whose wall-clock times the calendar shows, e.g. Europe/Helsinki.
    public var timeZone: TimeZone
    /// The meeting's title.
    public var summary: String
    /// Where it is held, as text.
    public var location: String?
    /// Free text: agenda, practical matters, the online meeting link.
    public var description: String?
    /// A page about the meeting or its online meeting link. Outlook and Google Calendar do not show the
    /// URL property, so it is also added at the end of the description when that does not contain it.
    public var url: URL?
    /// Who invites and receives the replies.
    public var organizer: CalendarAddress
    /// The one person this invitation is for.
    public var attendee: CalendarAddress
    /// PRODID (§3.7.3), e.g. `-//Pohjois-Pohjanmaan hyvinvointialue//tiedotin//FI`.
    public var productID: String

    /// An invitation; `sequence` 0 and method REQUEST unless given.
    public init(
        method: Method = .request, uid: String, sequence: Int = 0, stamp: Date, start: Date, end: Date,
        timeZone: TimeZone, summary: String, location: String? = nil, description: String? = nil, url: URL? = nil,
        organizer: CalendarAddress, attendee: CalendarAddress, productID: String
    ) {
        self.method = method
        self.uid = uid
        self.sequence = sequence
        self.stamp = stamp
        self.start = start
        self.end = end
        self.timeZone = timeZone
        self.summary = summary
        self.location = location
        self.description = description
        self.url = url
        self.organizer = organizer
        self.attendee = attendee
        self.productID = productID
    }

    /// The cancellation of this meeting: method CANCEL, the same UID, the next SEQUENCE, stamped `stamp`.
    public func cancellation(stamp: Date) -> CalendarInvitation {
        var cancellation = self
        cancellation.method = .cancel
        cancellation.sequence = sequence + 1
        cancellation.stamp = stamp
        return cancellation
    }

    /// The VTIMEZONE this invitation needs on its own; keep it and pass it to `render(using:)` when
    /// writing many invitations in the same zone and years.
    public func timeZoneDefinition() throws(ICalendarError) -> TimeZoneDefinition {
        try TimeZoneDefinition(timeZone: timeZone, from: start, to: end)
    }

    /// The whole VCALENDAR, CRLF line breaks, folded at 75 octets; makes the time zone definition itself.
    public func render() throws(ICalendarError) -> String {
        try render(using: timeZoneDefinition())
    }

    /// The whole VCALENDAR with a time zone definition made before for `timeZone` and years that include
    /// the meeting's: the cheap way for one invitation per attendee.
    public func render(using definition: TimeZoneDefinition) throws(ICalendarError) -> String {
        String(decoding: try renderBytes(using: definition), as: UTF8.self)
    }

    /// As `render(using:)`, as UTF-8 bytes.
    public func renderBytes(using definition: TimeZoneDefinition) throws(ICalendarError) -> [UInt8] {
        guard definition.identifier == timeZone.identifier else {
            throw .timeZoneMismatch(invitation: timeZone.identifier, definition: definition.identifier)
        }
        try SingleLineValue.checkNonEmpty(productID, property: "PRODID")
        try SingleLineValue.checkNonEmpty(uid, property: "UID")
        guard sequence >= 0 else { throw .negativeSequence(sequence) }
        guard end > start else { throw .endNotAfterStart(start: start, end: end) }
        guard let stampSeconds = TimeZoneDefinition.seconds(stamp) else { throw .dateOutOfRange(property: "DTSTAMP", date: stamp) }
        let startValue = try definition.dateTime(for: start, property: "DTSTART")
        let endValue = try definition.dateTime(for: end, property: "DTEND")
        let organizerURI = try organizer.mailtoURI(property: "ORGANIZER")
        let organizerName = try organizer.nameParameter(property: "ORGANIZER")
        let attendeeURI = try attendee.mailtoURI(property: "ATTENDEE")
        let attendeeName = try attendee.nameParameter(property: "ATTENDEE")
        let urlText = try url.map(Self.checkedURL)

        var writer = ContentLineWriter(reservingCapacity: definition.written.count + 1024)
        writer.begin("VCALENDAR")
        writer.text("PRODID", productID)
        writer.raw("VERSION", "2.0")
        writer.raw("CALSCALE", "GREGORIAN")
        writer.raw("METHOD", method.rawValue)
        writer.appendWritten(definition.written)
        writer.begin("VEVENT")
        writer.text("UID", uid)
        writer.raw("DTSTAMP") { CivilTime(secondsSinceEpoch: stampSeconds).appendCompact(to: &$0); $0.append(UInt8(ascii: "Z")) }
        // RFC 5546 requires SEQUENCE in a CANCEL, and in a REQUEST once above 0; always writing it is allowed.
        writer.raw("SEQUENCE", String(sequence))
        Self.write("DTSTART", startValue, timeZone: definition.timeZoneParameter, to: &writer)
        Self.write("DTEND", endValue, timeZone: definition.timeZoneParameter, to: &writer)
        writer.text("SUMMARY", summary)
        if let location, !location.isEmpty { writer.text("LOCATION", location) }
        if let text = describedText(url: urlText) { writer.text("DESCRIPTION", text) }
        if let urlText { writer.raw("URL", urlText) }
        writer.raw("ORGANIZER", organizerURI, parameters: organizerName)
        writer.raw("ATTENDEE", attendeeURI, parameters: attendeeName + attendeeParameters)
        writer.raw("STATUS", method == .cancel ? "CANCELLED" : "CONFIRMED")
        writer.end("VEVENT")
        writer.end("VCALENDAR")
        return writer.bytes
    }

    /// The attendee's role and, in a REQUEST, that an answer is awaited. A CANCEL asks for none (RFC 5546
    /// has no reply to a cancellation), so it carries no PARTSTAT or RSVP.
    private var attendeeParameters: [ContentLineWriter.Parameter] {
        var parameters = [ContentLineWriter.Parameter(token: "ROLE", "REQ-PARTICIPANT")]
        if method == .request {
            parameters.append(.init(token: "PARTSTAT", "NEEDS-ACTION"))
            parameters.append(.init(token: "RSVP", "TRUE"))
        }
        return parameters
    }

    private func describedText(url: String?) -> String? {
        let text = description ?? ""
        guard let url, !Self.contains(text, url) else { return text.isEmpty ? nil : text }
        return text.isEmpty ? url : text + "\n\n" + url
    }

    /// Whether `needle` occurs in `text`, octet by octet: Foundation's `contains` would compare as
    /// Unicode text, which costs more than the rest of an invitation together.
    private static func contains(_ text: String, _ needle: String) -> Bool {
        let text = Array(text.utf8)
        let needle = Array(needle.utf8)
        guard !needle.isEmpty, text.count >= needle.count else { return needle.isEmpty }
        return (0...(text.count - needle.count)).contains { start in
            text[start] == needle[0] && text[start..<(start + needle.count)].elementsEqual(needle)
        }
    }

    private static func write(
        _ name: String, _ value: TimeZoneDefinition.DateTimeValue, timeZone: ContentLineWriter.Parameter, to writer: inout ContentLineWriter
    ) {
        switch value {
        case .local(let time):
            writer.raw(name, parameters: [timeZone]) { time.appendCompact(to: &$0) }
        case .utc(let time):
            writer.raw(name) { time.appendCompact(to: &$0); $0.append(UInt8(ascii: "Z")) }
        }
    }

    private static func checkedURL(_ url: URL) throws(ICalendarError) -> String {
        let text = url.absoluteString
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") }) else {
            throw .invalidURL(text)
        }
        return text
    }
}
