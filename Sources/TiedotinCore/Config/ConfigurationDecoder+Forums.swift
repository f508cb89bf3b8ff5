import Foundation
import MIME
import Recurrence

extension ConfigurationDecoder {
    static let forumKeys = [
        "id", "name", "invitees", "organizer", "location", "url", "duration", "invite_lead", "reminder_lead", "meetings",
        "recurrence",
    ]
    static let meetingKeys = ["id", "start", "agenda", "location", "url", "duration", "cancelled"]

    func decodeForums(
        _ value: ValueReader?, networks: NetworkIndex, defaultOrganizer: EmailAddress?, timeZone: TimeZone?
    ) -> [Configuration.Forum] {
        guard let value else { return [] }
        var forums: [Configuration.Forum] = []
        var forumIDs: [String: ValueReader] = [:]
        // Meeting ids become invitation UIDs, so they must be unique across every forum.
        var meetingIDs: [String: ValueReader] = [:]
        for item in value.items() {
            let entry = item.mapping(known: Self.forumKeys)
            let id = entry.required("id", example: "jyry")?.identifier(example: "jyry")
            if let id, let first = forumIDs[id] {
                entry.value("id")?.report(duplicateMessage(id, first: first, what: "forum"))
            } else if let id {
                forumIDs[id] = entry.value("id")
            }
            let name = entry.required("name", example: "Järjestöyhteistyöryhmä JYRY")?.nonEmptyText(example: "Järjestöyhteistyöryhmä JYRY")
            let invitees = decodeInvitees(entry, networks: networks)
            let organizerExample = "\"Järjestötyön koordinaattori <jarjestotyo@pohde.example.fi>\""
            let organizer = entry.value("organizer").map { $0.address(example: organizerExample) } ?? defaultOrganizer
            let location = entry.value("location")?.nonEmptyText(example: "Teams / Oulu, Kehräämö")
            let url = entry.value("url")?.url(schemes: ["https", "http"], example: "https://teams.example.fi/l/meetup-join/jyry")
            let duration = entry.value("duration")?.duration(example: "2h", minimum: .seconds(60)) ?? ConfigurationDefaults.meetingDuration
            let inviteLead = entry.value("invite_lead")?.duration(example: "21d") ?? ConfigurationDefaults.inviteLead
            let reminderLead = entry.value("reminder_lead")?.duration(example: "2d") ?? ConfigurationDefaults.reminderLead

            var meetings: [Configuration.Forum.Meeting] = []
            var starts: [LocalDateTime: ValueReader] = [:]
            for meetingItem in entry.value("meetings")?.items() ?? [] {
                let meetingEntry = meetingItem.mapping(known: Self.meetingKeys)
                // The id is claimed even when the meeting has other problems, so a clash is reported too.
                var clash = false
                if let idValue = meetingEntry.value("id"), let meetingID = idValue.identifier(example: "jyry-2027-02") {
                    if let first = meetingIDs[meetingID] {
                        idValue.report(duplicateMessage(meetingID, first: first, what: "meeting"))
                        clash = true
                    } else {
                        meetingIDs[meetingID] = idValue
                    }
                }
                guard let meeting = decodeMeeting(meetingEntry, timeZone: timeZone), !clash else { continue }
                // Two live meetings of one forum at one time is a copy-paste slip; a cancelled one may share its time.
                if !meeting.cancelled, let startValue = meetingEntry.value("start") {
                    if let first = starts[meeting.start] {
                        let line = first.position.map { ", line \($0.line)" } ?? ""
                        startValue.report("this forum already has a meeting at \(meeting.start) (\(first.path.dropLast(".start".count))\(line)); "
                            + "remove one of them or give this one its own time")
                        continue
                    }
                    starts[meeting.start] = startValue
                }
                meetings.append(meeting)
            }
            let recurrence = entry.has("recurrence")
                ? decodeRecurrence(entry.section("recurrence", known: ["rule", "start", "except"]), timeZone: timeZone) : nil

            guard let id, let name, let invitees, let organizer else { continue }
            forums.append(Configuration.Forum(
                id: id, name: name, invitees: invitees, organizer: organizer, location: location, url: url,
                duration: duration, inviteLead: inviteLead, reminderLead: reminderLead, meetings: meetings,
                recurrence: recurrence))
        }
        return forums
    }

    private func decodeInvitees(_ entry: MappingReader, networks: NetworkIndex) -> [String]? {
        let example = "[\(networks.ids.first ?? "jyry")]"
        guard let value = entry.required("invitees", example: example) else { return nil }
        let items = value.items()
        if items.isEmpty {
            value.report("nobody would be invited; list the networks whose members are invited, for example invitees: \(example)")
            return nil
        }
        let ids = items.compactMap { networkReference($0, networks: networks) }
        return ids.count == items.count ? ids : nil
    }

    private func decodeMeeting(_ entry: MappingReader, timeZone: TimeZone?) -> Configuration.Forum.Meeting? {
        // The id was checked (and any problem reported) by the caller.
        let id = entry.value("id")?.text(example: "jyry-2027-02")
        let start = entry.required("start", example: "2027-02-10T13:00")?.localDateTime(timeRequired: true, timeZone: timeZone)
        let agenda = entry.value("agenda")?.nonEmptyText(example: "Hyte-neuvottelut")
        let location = entry.value("location")?.nonEmptyText(example: "Oulu, Kehräämö")
        let url = entry.value("url")?.url(schemes: ["https", "http"], example: "https://teams.example.fi/l/meetup-join/jyry")
        let duration = entry.value("duration")?.duration(example: "2h", minimum: .seconds(60))
        let cancelled = entry.value("cancelled")?.boolean() ?? false
        guard let start else { return nil }
        return Configuration.Forum.Meeting(
            id: id, start: start, agenda: agenda, location: location, url: url, duration: duration, cancelled: cancelled)
    }

    private func decodeRecurrence(_ section: MappingReader, timeZone: TimeZone?) -> Configuration.Forum.Recurrence? {
        let example = "FREQ=MONTHLY;BYDAY=2WE"
        var ruleText: String?
        if let value = section.required("rule", example: example), let rule = value.recurrenceRule(example: example) {
            if rule.frequency < .daily {
                value.report("meetings recur at most daily, not \(rule.frequency.rawValue); write FREQ=DAILY, WEEKLY, MONTHLY or YEARLY, "
                    + "for example rule: \(example)")
            } else {
                ruleText = value.text(example: example)
            }
        }
        let start = section.required("start", example: "2027-01-13T09:00")?.localDateTime(timeRequired: true, timeZone: timeZone)
        let except = section.value("except")?.items().compactMap { $0.localDateTime(timeRequired: false, timeZone: timeZone) } ?? []
        guard let ruleText, let start else { return nil }
        return Configuration.Forum.Recurrence(rule: ruleText, start: start, except: except)
    }
}
