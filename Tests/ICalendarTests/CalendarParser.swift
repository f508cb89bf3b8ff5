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
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func parse(_ calendar: String) throws -> ParsedCalendar {
        let python = Repository.path(".venv/bin/python")
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw Failure(description: "\(python) is missing; run ./scripts/setup.sh")
        }
        let folder = TemporaryFolder("parse-calendar")
        let input = try folder.write(calendar, to: "invitation.ics")
        let output = try folder.write("", to: "output.json")
        let errors = try folder.write("", to: "errors.txt")
        // Output goes to files, not pipes, so that a large answer cannot fill a pipe and stall both sides.
        let outputHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        let errorHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: errors))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [Repository.path("Tests/ICalendarTests/parse_calendar.py"), input]
        process.standardOutput = outputHandle
        process.standardError = errorHandle
        try process.run()
        process.waitUntilExit()
        try outputHandle.close()
        try errorHandle.close()
        guard process.terminationStatus == 0 else {
            let text = (try? String(contentsOfFile: errors, encoding: .utf8)) ?? ""
            throw Failure(description: "parse_calendar.py exited with \(process.terminationStatus): \(text)")
        }
        return try JSONDecoder().decode(ParsedCalendar.self, from: Data(contentsOf: URL(fileURLWithPath: output)))
    }
}
