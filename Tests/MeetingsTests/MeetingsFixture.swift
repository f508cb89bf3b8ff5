import Foundation
import Logging
import TestSupport
@testable import TiedotinCore

/// A whole installation for a meetings test: a config with one forum, a real SQLite database with
/// members, the repository's templates, and a clock the test moves.
struct MeetingsFixture {
    static let sender = "jarjestotyo@pohde.example.fi"

    let folder: TemporaryFolder
    var configuration: TiedotinCore.Configuration
    let store: Store
    let clock: ManualClock

    /// `forum` is the YAML of the forum's keys below `invitees`, indented by four spaces; `mail` the
    /// YAML of `mail:` after `from`, indented by two.
    init(
        forum: String, language: String = "fi", mail: String = "  transport: maildir\n  maildir: maildir", now: String,
        members: [(email: String, name: String)] = MeetingsFixture.people
    ) throws {
        folder = TemporaryFolder("meetings")
        clock = ManualClock(Self.helsinki(now))
        configuration = try Self.load(folder: folder, forum: forum, language: language, mail: mail)
        store = try Store(path: configuration.paths.database)
        let lists = MemberLists(store: store, networks: configuration.networks.map(\.id))
        for person in members {
            _ = try lists.add(email: person.email, networks: ["jyry"], name: person.name, organisation: nil, at: clock.now)
        }
    }

    /// Rewrites the config with another forum body, as an admin editing the file would.
    mutating func edit(forum: String, language: String = "fi", mail: String = "  transport: maildir\n  maildir: maildir") throws {
        configuration = try Self.load(folder: folder, forum: forum, language: language, mail: mail)
    }

    private static func load(folder: TemporaryFolder, forum: String, language: String, mail: String) throws -> TiedotinCore.Configuration {
        let yaml = """
            organisation:
              name: Pohjois-Pohjanmaan hyvinvointialue
              timezone: Europe/Helsinki
              language: \(language)
            paths:
              database: tiedotin.sqlite
              drop_folder: drop
              templates: \(Repository.root)/Templates
              archive: archive
            mail:
              from: "Pohden järjestötyö <\(sender)>"
            \(mail)
              rate:
                per_minute: 0
                per_day: 0
            networks:
              - id: jyry
                name: Järjestöyhteistyöryhmä JYRY
                kind: forum
            forums:
              - id: jyry
                name: Järjestöyhteistyöryhmä JYRY
                invitees: [jyry]
                organizer: "Järjestötyön koordinaattori <\(sender)>"
            \(forum)

            """
        let file = folder.appending("tiedotin.yaml")
        try Data(yaml.utf8).write(to: URL(fileURLWithPath: file))
        return try ConfigurationLoader.load(path: file)
    }

    static let people: [(email: String, name: String)] = [
        ("pia.kangas@example.fi", "Pia Kangas"),
        ("asa.lindqvist@example.fi", "Lindqvist, Åsa"),
        ("eero.kylmanen@example.fi", "Eero Kylmänen"),
    ]

    var lists: MemberLists { MemberLists(store: store, networks: configuration.networks.map(\.id)) }
    var meetings: MeetingStore { MeetingStore(store: store) }

    /// One planning pass at the clock's time, its lines into `log` when one is given.
    @discardableResult
    func pass(log: CapturedLog? = nil) throws -> MeetingPass.Report {
        let logger = log?.logger() ?? Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        return try MeetingPass(configuration: configuration, store: store, logger: logger).run(now: clock.now)
    }

    /// Moves the clock to a Helsinki wall-clock time, `2027-01-20T13:00`.
    func set(_ local: String) {
        let target = Self.helsinki(local)
        clock.advance(by: target.timeIntervalSince(clock.now))
    }

    /// The instant of a Helsinki wall-clock time `YYYY-MM-DDTHH:MM`.
    static func helsinki(_ local: String) -> Date {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Europe/Helsinki")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm"
        return formatter.date(from: local)!
    }

    /// The queued meeting messages, oldest first: kind, recipient and the message's full bytes.
    func queued() throws -> [(kind: String, recipient: String, subject: String, message: [UInt8])] {
        try store.read { db in
            try Row.fetchAll(db, sql: """
                SELECT b.kind, o.recipient, b.subject, c.headers, b.content
                FROM outbox o JOIN outbox_body b ON b.id = o.body_id JOIN outbox_content c ON c.outbox_id = o.id
                WHERE b.meeting_id IS NOT NULL ORDER BY o.id
                """).map { row in
                let headers: Data = row["headers"], body: Data = row["content"]
                return (row["kind"], row["recipient"], row["subject"], [UInt8](headers) + [UInt8](body))
            }
        }
    }
}

import GRDB
