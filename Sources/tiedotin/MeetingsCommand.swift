import ArgumentParser
import Foundation
import TiedotinCore

/// `tiedotin meetings`: the admin's view of the planned meetings.
struct MeetingsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "meetings", abstract: "Planned meetings with their invitation and reminder state.",
        subcommands: [MeetingsListCommand.self])
}

/// `tiedotin meetings list [--json]`.
struct MeetingsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "Every planned meeting with its invitation and reminder state.",
        discussion: """
            Meetings the service has planned, and those the config adds that it has not planned yet. \
            --json writes one JSON array: [{"forum", "id", "uid", "start", "end", "sequence", "status", \
            "invited", "reminded", "updated", "cancelled", "name"}]; status is planned, invited, updated, \
            cancelled or past; the counts are members sent an invitation, reminder, update or cancellation.
            """)
    @OptionGroup var config: ConfigOptions
    @Flag(help: "One JSON document on standard output.") var json = false

    func run() async throws {
        let context = try CommandContext.open(config)
        let meetings = try MeetingListing.all(configuration: context.configuration, store: context.store, now: Date())
        if json {
            try printJSON(meetings.map { $0.json(context.timestamp) })
            return
        }
        if meetings.isEmpty {
            print("No meetings: add them under forums in \(context.configuration.file).")
            return
        }
        let rows = meetings.map { meeting in
            [
                context.timestamp.readable(meeting.details.start), meeting.forumID, meeting.id, meeting.status.rawValue,
                String(meeting.sequence), String(meeting.invited), String(meeting.updated), String(meeting.reminded),
                String(meeting.cancelled),
            ]
        }
        let header = ["START", "FORUM", "ID", "STATUS", "SEQ", "INVITED", "UPDATED", "REMINDED", "CANCELLED"]
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        for row in [header] + rows {
            print(row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces))
        }
    }
}
