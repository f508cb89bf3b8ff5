import Foundation
import TestSupport
import Testing

/// A meeting message as independent parsers see it: Python's `email` for the MIME and Python's
/// `icalendar` for the calendar part.
struct MeetingMessage {
    let inspected: InspectedMessage
    let calendar: ParsedCalendar
    /// The calendar part's `method` parameter.
    let partMethod: String?
    let text: String
    let html: String

    var event: ParsedCalendar.Event { calendar.events[0] }
    var subject: String { inspected.value(of: "Subject") ?? "" }
    var to: String { inspected.mailboxes(of: "To").first?.addrSpec ?? "" }

    /// Parses `bytes` and checks what every meeting message must be: no defects, the MIME structure
    /// calendars expect, one VEVENT, METHOD equal to the part's parameter, exactly one ATTENDEE (the
    /// recipient), the attachment the same calendar.
    /// `onTheWire`: the message as SMTP carries it, CRLF throughout (a Maildir file has LF).
    init(_ bytes: [UInt8], onTheWire: Bool = true, sourceLocation: SourceLocation = #_sourceLocation) throws {
        inspected = try MessageInspector.inspect(bytes)
        #expect(inspected.defects.isEmpty, "\(inspected.defects)", sourceLocation: sourceLocation)
        #expect(
            inspected.structure == "multipart/mixed(multipart/alternative(text/plain,text/html,text/calendar),application/ics)",
            sourceLocation: sourceLocation)
        let part = try #require(inspected.parts.first { $0.contentType == "text/calendar" })
        partMethod = part.params["method"]
        let calendarText = try #require(part.text)
        calendar = try CalendarParser.parse(calendarText)
        text = inspected.parts.first { $0.contentType == "text/plain" }?.text ?? ""
        html = inspected.parts.first { $0.contentType == "text/html" }?.text ?? ""
        let attachment = inspected.parts.first { $0.contentType == "application/ics" }
        #expect(attachment?.filename == "invite.ics", sourceLocation: sourceLocation)
        let canonical = calendarText.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
        #expect(attachment?.size == canonical.utf8.count, "the attachment is the same calendar", sourceLocation: sourceLocation)
        #expect(calendar.errors.isEmpty, "\(calendar.errors)", sourceLocation: sourceLocation)
        #expect(calendar.events.count == 1, sourceLocation: sourceLocation)
        #expect(calendar.method == partMethod, sourceLocation: sourceLocation)
        #expect(event.attendees.count == 1, sourceLocation: sourceLocation)
        #expect(event.attendees.first?.address.lowercased() == "mailto:" + to.lowercased(), sourceLocation: sourceLocation)
        #expect(inspected.maxLineOctets <= 998, sourceLocation: sourceLocation)
        if onTheWire { #expect(!inspected.bareLF && !inspected.bareCR, sourceLocation: sourceLocation) }
    }
}
