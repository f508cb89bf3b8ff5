import Foundation
import TestSupport
@testable import TiedotinCore

/// An installation for a service test: a config file (`mail` and extra sections given by the
/// test), a real SQLite database with members, and the repository's templates.
struct ServiceFixture {
    let folder: TemporaryFolder
    let configFile: String
    let configuration: Configuration
    let store: Store

    static let people = [
        ("pia.kangas@example.fi", "Pia Kangas"), ("heidi.lotjonen@example.fi", "Heidi Lötjönen"),
        ("asa.lindqvist@example.fi", "Åsa Lindqvist"), ("eero.kylmanen@example.fi", "Eero Kylmänen"),
        ("aino.korhonen@example.fi", "Aino Korhonen"), ("juha.niemela@example.fi", "Juha Niemelä"),
    ]

    /// `mail` is the body of the `mail:` section below `from`, indented by two spaces.
    init(mail: String, members: Int = 3, label: String = "service") throws {
        folder = TemporaryFolder(label)
        configFile = folder.appending("tiedotin.yaml")
        try Data(ServiceFixture.yaml(mail: mail).utf8).write(to: URL(fileURLWithPath: configFile))
        configuration = try ConfigurationLoader.load(path: configFile)
        store = try Store(path: configuration.paths.database)
        let lists = MemberLists(store: store, networks: configuration.networks.map(\.id))
        for (email, name) in ServiceFixture.people.prefix(members) {
            _ = try lists.add(email: email, networks: ["ikaihmiset"], name: name, at: Date())
        }
    }

    static func yaml(mail: String, extra: String = "") -> String {
        """
        organisation:
          name: Pohjois-Pohjanmaan hyvinvointialue
        paths:
          database: tiedotin.sqlite
          drop_folder: drop
          templates: \(Repository.root)/Templates
          archive: archive
        mail:
          from: "Pohden järjestötyö <jarjestotyo@pohde.example.fi>"
          retry:
            first: 1s
            max_interval: 4s
        \(mail)
        networks:
          - id: ikaihmiset
            name: Ikäihmisten palvelujen järjestöverkosto
            kind: service-area
        \(extra)
        """
    }

    /// The `mail` lines for the test SMTP server: no TLS, no login, no rate cap.
    static func smtp(_ server: SMTPTestServer, perMinute: Int = 0, connections: Int = 1) -> String {
        """
          connections: \(connections)
          rate:
            per_minute: \(perMinute)
            per_day: 0

        """ + server.mailConfig
    }

    /// Rewrites the config file with another `mail` body and more sections (for a reload).
    func rewrite(mail: String, extra: String = "") throws {
        try Data(ServiceFixture.yaml(mail: mail, extra: extra).utf8).write(to: URL(fileURLWithPath: configFile))
    }

    var outbox: Outbox { Outbox(store: store) }

    /// A notice body in the folder.
    func body() throws -> String {
        try folder.write("""
            Hyvät yhdyshenkilöt,

            **Järjestöyhteistyöryhmä JYRY** kokoontuu keskiviikkona 10.2.2027 klo 13–15 Kehräämössä.
            """, to: "tiedote.md")
    }

    /// `announce` arguments for a notice with `subject`.
    func announce(_ subject: String, wait: Bool) throws -> [String] {
        ["announce", "--network", "ikaihmiset", "--subject", subject, "--body", try body(), "--config", configFile]
            + (wait ? ["--wait"] : [])
    }
}
