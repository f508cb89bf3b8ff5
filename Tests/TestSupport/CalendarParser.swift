import Foundation

/// What the Python `icalendar` package makes of a calendar: the independent judge of the writer. See
/// `Tests/ICalendarTests/parse_calendar.py` for the fields.
public struct ParsedCalendar: Decodable {
    public var errors: [String]
    public var method: String?
    public var prodid: String?
    public var version: String?
    public var calscale: String?
    public var events: [Event]
    public var timezones: [Zone]

    public struct Event: Decodable {
        public var uid: String?
        public var sequence: Int?
        public var dtstamp: String?
        public var dtstart: String?
        public var dtend: String?
        public var dtstartByVTimezone: String?
        public var dtendByVTimezone: String?
        public var tzid: String?
        public var summary: String?
        public var location: String?
        public var description: String?
        public var url: String?
        public var status: String?
        public var organizer: Address?
        public var attendees: [Address]
        public var alarms: Int

        enum CodingKeys: String, CodingKey {
            case uid, sequence, dtstamp, dtstart, dtend, tzid, summary, location, description, url, status, organizer, attendees, alarms
            case dtstartByVTimezone = "dtstart_by_vtimezone"
            case dtendByVTimezone = "dtend_by_vtimezone"
        }
    }

    public struct Address: Decodable, Equatable {
        public var address: String
        public var cn: String?
        public var role: String?
        public var partstat: String?
        public var rsvp: String?

        public init(address: String, cn: String? = nil, role: String? = nil, partstat: String? = nil, rsvp: String? = nil) {
            self.address = address
            self.cn = cn
            self.role = role
            self.partstat = partstat
            self.rsvp = rsvp
        }
    }

    public struct Zone: Decodable {
        public var tzid: String
        public var components: [Component]
        public var transitions: [Transition]
    }

    public struct Component: Decodable, Equatable {
        public var kind: String
        public var dtstart: String
        public var tzoffsetfrom: String
        public var tzoffsetto: String
        public var tzname: String?
        public var rrule: String?
        public var rdates: [String]

        public init(
            kind: String, dtstart: String, tzoffsetfrom: String, tzoffsetto: String, tzname: String?, rrule: String?, rdates: [String]
        ) {
            self.kind = kind
            self.dtstart = dtstart
            self.tzoffsetfrom = tzoffsetfrom
            self.tzoffsetto = tzoffsetto
            self.tzname = tzname
            self.rrule = rrule
            self.rdates = rdates
        }
    }

    public struct Transition: Decodable, Equatable, CustomStringConvertible {
        public var utc: String
        public var offset: String
        public var name: String?

        public init(utc: String, offset: String, name: String?) {
            self.utc = utc
            self.offset = offset
            self.name = name
        }

        public var description: String { "\(utc) \(offset) \(name ?? "")" }
    }
}

/// Runs `parse_calendar.py` with the project's `.venv` Python (`./scripts/setup.sh` installs `icalendar`).
public enum CalendarParser {
    /// Parses the calendar text with Python `icalendar` and returns what it found.
    public static func parse(_ calendar: String) throws -> ParsedCalendar {
        try PythonScript.run("Tests/ICalendarTests/parse_calendar.py", on: Array(calendar.utf8), inputName: "invitation.ics")
    }
}
