import Foundation
import GRDB
import Logging
import TestSupport
@testable import TiedotinCore

/// A whole installation for newsletter tests: a config with a weekly Tuesday 9:00 schedule and a
/// two-day preview lead, a real SQLite database with members, the repository's templates, and
/// items recorded as intake records them.
struct EditionFixture {
    static let editor = "jarjestotyo@pohde.example.fi"
    static let helsinki = TimeZone(identifier: "Europe/Helsinki")!

    let folder: TemporaryFolder
    let configuration: TiedotinCore.Configuration
    let store: Store

    /// `extra` is YAML added to the `newsletter:` section (indented by two spaces); `mail` replaces the transport lines.
    init(newsletter extra: String = "", mail: String? = nil, language: String = "fi", templates: String? = nil) throws {
        folder = TemporaryFolder("editions")
        let yaml = """
            organisation:
              name: Pohjois-Pohjanmaan hyvinvointialue
              language: \(language)
            paths:
              database: tiedotin.sqlite
              drop_folder: drop
              templates: \(templates ?? Repository.root + "/Templates")
              archive: archive
            mail:
              from: "Pohden järjestötyö <\(EditionFixture.editor)>"
            \(mail ?? "  transport: maildir\n  maildir: maildir")
              rate:
                per_minute: 0
                per_day: 0
              retry:
                first: 1s
                max_interval: 4s
                give_up_after: 1h
            networks:
              - id: jyry
                name: Järjestöyhteistyöryhmä JYRY
                kind: forum
              - id: ikaihmiset
                name: Ikäihmisten palvelujen järjestöverkosto
                kind: service-area
            newsletter:
              title: Järjestö- ja seurakuntatiedote
              schedule: FREQ=WEEKLY;BYDAY=TU;BYHOUR=9;BYMINUTE=0
              editors: [\(EditionFixture.editor)]
              preview_lead: 2d
              list_id: uutiskirje.pohde.example.fi
              archive_url: https://pohde.example.fi/tiedotin/arkisto
              unsubscribe:
                mailto: unsubscribe@pohde.example.fi
                url: https://pohde.example.fi/tiedotin/unsubscribe
              sections:
                - id: ajankohtaista
                  title: Ajankohtaista Pohteelta
                - id: koulutukset
                  title: Koulutukset ja tapahtumat
                - id: avustukset
                  title: Avustukset ja rahoitus
            \(extra)

            """
        let file = try folder.write(yaml, to: "tiedotin.yaml")
        configuration = try ConfigurationLoader.load(path: file)
        store = try Store(path: configuration.paths.database)
        let lists = MemberLists(store: store, networks: ["jyry", "ikaihmiset"])
        for (email, name, networks) in EditionFixture.members {
            _ = try lists.add(email: email, networks: networks, name: name, organisation: nil, at: EditionFixture.saturday)
        }
    }

    static let members: [(String, String, [String])] = [
        ("pia.kangas@example.fi", "Pia Kangas", ["jyry", "ikaihmiset"]),
        ("heidi.lotjonen@example.fi", "Heidi Lötjönen", ["ikaihmiset"]),
        ("asa.lindqvist@example.fi", "Lindqvist, Åsa", ["jyry"]),
    ]

    /// A local time in Helsinki.
    static func helsinkiTime(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int = 0) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = helsinki
        return calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute))!
    }

    /// Saturday before the first send time (Tuesday 5.1.2027 9:00); its preview is due Sunday 9:00.
    static let saturday = helsinkiTime(2027, 1, 2, 12)
    static let previewTime = helsinkiTime(2027, 1, 3, 9)
    static let sendTime = helsinkiTime(2027, 1, 5, 9)

    func desk(meetings: @escaping UpcomingMeeting.Query = UpcomingMeeting.none) throws -> EditionDesk {
        try EditionDesk(
            configuration: configuration, store: store, meetings: meetings,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
    }

    /// Records an accepted item as intake does.
    @discardableResult
    func item(
        _ title: String, section: String = "koulutukset", date: String? = nil, publishUntil: String? = nil,
        body: String = "Tervetuloa mukaan!", link: String? = nil, organisation: String = "Oulun ensi- ja turvakoti ry"
    ) throws -> NewsletterItem {
        try store.recordAcceptedItem(NewsletterItem(
            fileName: "\(title).md", originalName: nil, title: title, organisation: organisation,
            contact: "Pia Kangas <pia.kangas@example.fi>", section: section, eventDate: date, link: link,
            publishUntil: publishUntil, body: body, contentHash: UUID().uuidString, acceptedAt: EditionFixture.saturday))
    }

    /// The outbox's sends of a kind, oldest first: (subject, recipients).
    func sends(_ kind: String) throws -> [(id: Int64, subject: String, recipients: [String])] {
        try store.read { db in
            try Row.fetchAll(db, sql: "SELECT id, subject FROM outbox_body WHERE kind = ? ORDER BY id", arguments: [kind]).map { row in
                let id: Int64 = row["id"]
                let recipients = try String.fetchAll(db, sql: "SELECT recipient FROM outbox WHERE body_id = ? ORDER BY recipient", arguments: [id])
                return (id, row["subject"], recipients)
            }
        }
    }

    /// Every edition row, oldest first.
    func editions() throws -> [Edition] {
        try store.read { db in try Edition.order(Column("scheduled_for"), Column("id")).fetchAll(db) }
    }

    /// The engine delivering with the config's transport.
    func engine(clock: any WallClock = SystemClock()) throws -> DeliveryEngine {
        try DeliveryEngine(
            outbox: Outbox(store: store), transport: TransportFactory.make(for: configuration.mail, password: nil),
            settings: .init(configuration.mail), clock: clock,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
    }
}
