import Foundation
import GRDB
import Logging
import Synchronization
import TestSupport
@testable import TiedotinCore

/// An installation for the tests of what comes back: a config with the unsubscribe endpoint, both
/// Maildirs and a VERP bounce address; a real database with members; and the mail the test drops.
struct ReturnsFixture {
    static let members: [(email: String, name: String)] = [
        ("pia.kangas@example.fi", "Pia Kangas"),
        ("heidi.lotjonen@example.fi", "Heidi Lötjönen"),
        ("asa.lindqvist@example.fi", "Lindqvist, Åsa"),
        ("eero.kylmanen@example.fi", "Eero Kylmänen"),
    ]

    let folder: TemporaryFolder
    var configuration: TiedotinCore.Configuration
    let store: Store
    let logs = LogLines()

    /// `port`: the endpoint's port in the config file (for the binary); without it, the config value
    /// asks the system for a free port (for the endpoint run in the test process).
    init(language: String = "fi", port: Int? = nil) throws {
        folder = TemporaryFolder("returns")
        let yaml = """
            organisation:
              name: Pohjois-Pohjanmaan hyvinvointialue
              language: \(language)
            paths:
              database: tiedotin.sqlite
              drop_folder: drop
              templates: \(Repository.root)/Templates
            mail:
              from: "Pohden järjestötyö <jarjestotyo@pohde.example.fi>"
              reply_to: jarjestotyo@pohde.example.fi
              transport: maildir
              maildir: sent
              bounces:
                address: bounces@pohde.example.fi
                mailbox: mail/bounces
            networks:
              - id: ikaihmiset
                name: Ikäihmisten palvelujen järjestöverkosto
                kind: service-area
            newsletter:
              title: Järjestö- ja seurakuntatiedote
              unsubscribe:
                mailto: unsubscribe@pohde.example.fi
                url: https://pohde.example.fi/tiedotin/unsubscribe
                listen: 127.0.0.1:\(port ?? 8025)
                mailbox: mail/unsubscribe

            """
        try folder.write(yaml, to: "tiedotin.yaml")
        configuration = try ConfigurationLoader.load(path: folder.appending("tiedotin.yaml"))
        if port == nil {
            // The system picks a free port; the config only allows real ones.
            configuration.newsletter.unsubscribe.listen = "127.0.0.1:0"
        }
        store = try Store(path: configuration.paths.database)
        let lists = MemberLists(store: store, networks: ["ikaihmiset"])
        for member in ReturnsFixture.members {
            _ = try lists.add(email: member.email, networks: ["ikaihmiset"], name: member.name, at: Date())
        }
    }

    var logger: Logger {
        let lines = logs
        var logger = Logger(label: "returns-test") { _ in CapturingLogHandler(lines: lines) }
        logger.logLevel = .debug
        return logger
    }

    var unsubscribeMaildir: String { configuration.newsletter.unsubscribe.mailbox! }
    var bounceMaildir: String { configuration.mail.bounces!.mailbox! }

    /// The personal token of a member.
    func token(_ email: String) throws -> String {
        try store.token(for: email)
    }

    /// The unsubscribe in force for `email`, if any.
    func suppression(_ email: String) throws -> Suppression? {
        try store.read { db in try Suppression.fetchOne(db, emailKey: Member.key(for: email)) }
    }

    /// The undeliverable mark of a member: the server's words, or nil.
    func undeliverable(_ email: String) throws -> String? {
        try store.read { db in try String.fetchOne(db, sql: "SELECT undeliverable FROM member WHERE email_key = ?", arguments: [email]) }
    }

    /// Builds `messages` with Python's email package (`returned_mail.py`) and delivers them into `maildir`'s `new/`.
    @discardableResult
    func drop(_ messages: [[String: String]], into maildir: String) throws -> [String] {
        struct Names: Decodable { let names: [String] }
        let spec: [String: Any] = ["maildir": maildir, "messages": messages]
        let input = try JSONSerialization.data(withJSONObject: spec)
        return try PythonScript.run("Tests/ReturnsTests/returned_mail.py", on: [UInt8](input), inputName: "spec.json", as: Names.self).names
    }

    /// The names in a Maildir's subfolder.
    func names(in maildir: String, _ sub: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: maildir + "/" + sub)) ?? []).sorted()
    }

    /// The name a message got in `cur/`.
    func filed(_ name: String, in maildir: String) -> String? {
        names(in: maildir, "cur").first { $0.hasPrefix(name + ":2,") }
    }
}

/// Every log line, with its metadata, as one string: what the journal would show.
final class LogLines: Sendable {
    private let lines = Mutex<[String]>([])

    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
}

struct CapturingLogHandler: LogHandler {
    let lines: LogLines
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let all = metadata.merging(event.metadata ?? [:]) { $1 }
        lines.append("\(event.level) \(event.message) \(all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))")
    }
}

extension ReturnedMailPass {
    /// The counts by outcome name, easy to compare with a literal.
    var byName: [String: Int] {
        Dictionary(uniqueKeysWithValues: counts.map { ($0.key.rawValue, $0.value) })
    }
}
