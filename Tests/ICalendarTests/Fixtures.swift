import Foundation
import ICalendar

/// Realistic meetings of the county's cooperation forums, and helpers for reading what was written.
enum Fixtures {
    static let helsinki = TimeZone(identifier: "Europe/Helsinki")!
    static let productID = "-//Pohjois-Pohjanmaan hyvinvointialue//tiedotin//FI"

    static let organizer = CalendarAddress(name: "Järjestötyön koordinaattori", email: "jarjestotyo@pohde.example.fi")
    static let pia = CalendarAddress(name: "Pia Kangas", email: "pia.kangas@example.fi")
    static let asa = CalendarAddress(name: "Lindqvist, Åsa", email: "asa.lindqvist@example.fi")

    /// A wall-clock time in Helsinki.
    static func helsinkiTime(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int = 0) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = helsinki
        return calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute))!
    }

    /// A UTC time.
    static func utc(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int = 0, _ second: Int = 0) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second))!
    }

    static let agenda = """
        Asialista:
        1. Kokouksen avaus; läsnäolijat
        2. Ikäihmisten palvelujen järjestöverkoston kuulumiset, toiminta-avustukset 2027
        3. Muut asiat — seuraava kokous

        Etäyhteys: https://teams.example.fi/l/meetup-join/19%3ameeting_jyry
        """

    /// Järjestöyhteistyöryhmä JYRY meets on 10 February 2027, 13–15 Helsinki time (winter, +02:00).
    static func winterMeeting(attendee: CalendarAddress = pia) -> CalendarInvitation {
        CalendarInvitation(
            uid: "jyry-2027-02-10@pohde.example.fi", sequence: 0, stamp: utc(2027, 1, 15, 8, 30, 12),
            start: helsinkiTime(2027, 2, 10, 13), end: helsinkiTime(2027, 2, 10, 15), timeZone: helsinki,
            summary: "Järjestöyhteistyöryhmä JYRY: kokous 1/2027", location: "Pohjankartano, kokoushuone Kaarna, Oulu",
            description: agenda, url: URL(string: "https://pohde.example.fi/jarjestot/jyry"),
            organizer: organizer, attendee: attendee, productID: productID)
    }

    /// The same forum on 9 June 2027, 13–15 Helsinki time (summer, +03:00).
    static func summerMeeting() -> CalendarInvitation {
        var invitation = winterMeeting()
        invitation.uid = "jyry-2027-06-09@pohde.example.fi"
        invitation.start = helsinkiTime(2027, 6, 9, 13)
        invitation.end = helsinkiTime(2027, 6, 9, 15)
        invitation.summary = "Järjestöyhteistyöryhmä JYRY: kokous 3/2027"
        return invitation
    }

    /// Content lines as written: split at CRLF, without the empty piece after the last one.
    static func physicalLines(_ text: String) -> [String] {
        var lines = text.components(separatedBy: "\r\n")
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    /// RFC 5545 §3.1 unfolding: every CRLF followed by one space or tab is removed.
    static func unfold(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n ", with: "").replacingOccurrences(of: "\r\n\t", with: "")
    }

    /// The logical lines after unfolding.
    static func logicalLines(_ text: String) -> [String] {
        physicalLines(unfold(text))
    }

    /// The logical lines of one component (first occurrence), BEGIN and END excluded.
    static func lines(of component: String, in text: String) -> [String] {
        let lines = logicalLines(text)
        guard let begin = lines.firstIndex(of: "BEGIN:\(component)"),
            let end = lines[begin...].firstIndex(of: "END:\(component)")
        else { return [] }
        return Array(lines[(begin + 1)..<end])
    }

    /// The values of the properties called `name` among `lines` (whole line after the name, parameters included).
    static func properties(_ name: String, in lines: [String]) -> [String] {
        lines.compactMap { line in
            guard line.hasPrefix(name), let next = line.dropFirst(name.count).first, next == ":" || next == ";" else { return nil }
            return String(line.dropFirst(name.count))
        }
    }
}
