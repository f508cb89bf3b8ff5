import Foundation
import TestSupport

/// What the Python `icalendar` package makes of a calendar: the independent judge of the writer. See
/// `parse_calendar.py` for the fields.
struct ParsedCalendar: Decodable {
    var errors: [String]
    var method: String?
    var prodid: String?
    var version: String?
    var calscale: String?
    var events: [Event]
    var timezones: [Zone]

    struct Event: Decodable {
        var uid: String?
        var sequence: Int?
        var dtstamp: String?
        var dtstart: String?
        var dtend: String?
        var dtstartByVTimezone: String?
        var dtendByVTimezone: String?
        var tzid: String?
        var summary: String?
        var location: String?
        var description: String?
        var url: String?
        var status: String?
        var organizer: Address?
        var attendees: [Address]
        var alarms: Int

        enum CodingKeys: String, CodingKey {
            case uid, sequence, dtstamp, dtstart, dtend, tzid, summary, location, description, url, status, organizer, attendees, alarms
            case dtstartByVTimezone = "dtstart_by_vtimezone"
            case dtendByVTimezone = "dtend_by_vtimezone"
        }
    }

    struct Address: Decodable, Equatable {
        var address: String
        var cn: String?
        var role: String?
        var partstat: String?
        var rsvp: String?

        init(address: String, cn: String? = nil, role: String? = nil, partstat: String? = nil, rsvp: String? = nil) {
            self.address = address
            self.cn = cn
            self.role = role
            self.partstat = partstat
            self.rsvp = rsvp
        }
    }

    struct Zone: Decodable {
        var tzid: String
        var components: [Component]
        var transitions: [Transition]
    }

    struct Component: Decodable, Equatable {
        var kind: String
        var dtstart: String
        var tzoffsetfrom: String
        var tzoffsetto: String
        var tzname: String?
        var rrule: String?
        var rdates: [String]
    }

    struct Transition: Decodable, Equatable, CustomStringConvertible {
        var utc: String
        var offset: String
        var name: String?
        var description: String { "\(utc) \(offset) \(name ?? "")" }
    }
}

/// Runs `parse_calendar.py` with the project's `.venv` Python (`./scripts/setup.sh` installs `icalendar`).
enum CalendarParser {
    static func parse(_ calendar: String) throws -> ParsedCalendar {
        try PythonScript.run("Tests/ICalendarTests/parse_calendar.py", on: Array(calendar.utf8), inputName: "invitation.ics")
    }
}
