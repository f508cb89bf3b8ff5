import Foundation
import Logging
import TestSupport
@testable import TiedotinCore

/// A whole installation for a delivery test: a config pointing at the test SMTP server, a real
/// SQLite database with members, the repository's templates, and helpers to queue and deliver.
struct DeliveryFixture {
    static let password = "Kehräämö-2027!"
    static let sender = "jarjestotyo@pohde.example.fi"

    let folder: TemporaryFolder
    let configuration: Configuration
    let store: Store

    /// `mail` is the YAML of the `mail:` section's body below `from`, indented by four spaces.
    init(mail: String, connections: Int = 1, members: Int = 3, busyTimeout: TimeInterval = 10, environment: [String: String] = [:]) throws {
        folder = TemporaryFolder("delivery")
        try Data(DeliveryFixture.password.utf8).write(to: URL(fileURLWithPath: folder.appending("smtp-password")))
        let yaml = """
            organisation:
              name: Pohjois-Pohjanmaan hyvinvointialue
            paths:
              database: tiedotin.sqlite
              drop_folder: drop
              templates: \(repositoryRoot)/Templates
              archive: archive
            mail:
              from: "Pohden järjestötyö <\(DeliveryFixture.sender)>"
              reply_to: \(DeliveryFixture.sender)
              connections: \(connections)
              retry:
                first: 1s
                max_interval: 4s
                give_up_after: 1h
              rate:
                per_minute: 0
                per_day: 0
            \(mail)
            networks:
              - id: jyry
                name: Järjestöyhteistyöryhmä JYRY
                kind: forum
              - id: ikaihmiset
                name: Ikäihmisten palvelujen järjestöverkosto
                kind: service-area
            newsletter:
              unsubscribe:
                mailto: unsubscribe@pohde.example.fi
                url: https://pohde.example.fi/tiedotin/unsubscribe

            """
        let file = folder.appending("tiedotin.yaml")
        try Data(yaml.utf8).write(to: URL(fileURLWithPath: file))
        configuration = try ConfigurationLoader.load(path: file)
        store = try Store(path: configuration.paths.database, busyTimeout: busyTimeout)
        let lists = MemberLists(store: store, networks: configuration.networks.map(\.id))
        for (index, person) in DeliveryFixture.people.prefix(members).enumerated() {
            _ = try lists.add(
                email: person.email, networks: index % 2 == 0 ? ["jyry", "ikaihmiset"] : ["ikaihmiset"],
                name: person.name, organisation: person.organisation, at: Date())
        }
        if members > DeliveryFixture.people.count {
            for number in DeliveryFixture.people.count..<members {
                _ = try lists.add(email: "jasen\(number)@example.fi", networks: ["ikaihmiset"], name: "Jäsen \(number)", at: Date())
            }
        }
    }

    /// The SMTP part of a config for `server`, with a password login when the server asks for one.
    static func smtp(
        _ server: SMTPTestServer, starttls: String = "off", ca: TestCertificateAuthority? = nil, auth: Bool = false, timeout: String = "5s"
    ) -> String {
        var lines = [
            "  transport: smtp",
            "  smtp:",
            "    url: \(server.url.absoluteString)",
            "    starttls: \(starttls)",
            "    auth: \(auth ? "password" : "none")",
            "    timeout: \(timeout)",
        ]
        if auth {
            lines.append("    username: tiedotin")
            lines.append("    password_file: smtp-password")
        }
        if let ca { lines.append("    ca_file: \(ca.caFile)") }
        return lines.joined(separator: "\n")
    }

    static let people: [(email: String, name: String, organisation: String)] = [
        ("pia.kangas@example.fi", "Pia Kangas", "Oulun ensi- ja turvakoti ry"),
        ("heidi.lotjonen@example.fi", "Heidi Lötjönen", "SOS-Lapsikylä"),
        ("asa.lindqvist@example.fi", "Lindqvist, Åsa", "Svenska församlingen i Uleåborg"),
        ("eero.kylmanen@example.fi", "Eero Kylmänen", "Oulun Seudun Omaishoitajat ry"),
        ("aino.korhonen@example.fi", "Aino Korhonen", "MLL Pohjois-Pohjanmaan piiri"),
    ]

    var outbox: Outbox { Outbox(store: store) }

    /// The member lists of the config's networks.
    var lists: MemberLists { MemberLists(store: store, networks: configuration.networks.map(\.id)) }

    /// Queues a notice to the given networks; returns the send's id.
    @discardableResult
    func announce(subject: String = "JYRYn kokous 10.2.2027 – esityslista", networks: [String] = ["ikaihmiset"]) throws -> Int64 {
        try NoticeComposer(configuration: configuration).queue(
            Announcement(networks: networks, subject: subject, markdown: """
                Hyvät yhdyshenkilöt,

                **Järjestöyhteistyöryhmä JYRY** kokoontuu keskiviikkona 10.2.2027 klo 13–15 Kehräämössä.
                Lue lisää [Pohde.fi-sivuilta](https://pohde.fi/jarjestoille).
                """),
            in: outbox, at: Date()).sendID
    }

    /// An engine on the real clock with the config's settings and password.
    func engine(clock: any WallClock = SystemClock(), logger: Logger = DeliveryFixture.silent) throws -> DeliveryEngine {
        try DeliveryEngine(
            outbox: outbox, transport: try transport(), settings: .init(configuration.mail), clock: clock, logger: logger)
    }

    /// The transport the config asks for, with its password.
    func transport() throws -> any MailTransport {
        let smtp = configuration.mail.smtp
        let password = smtp.auth == .password ? try Secrets(environment: [:]).smtpPassword(for: smtp).plainText : nil
        return TransportFactory.make(for: configuration.mail, password: password)
    }

    static let silent = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    /// The members' state as `members list --format json` would show it.
    func member(_ email: String) throws -> MemberListing? {
        try MemberLists(store: store, networks: configuration.networks.map(\.id)).list().first { $0.email == email }
    }
}

let repositoryRoot = Repository.root
