import Foundation
import GRDB
import Logging
import TestSupport
@testable import TiedotinCore

/// A whole installation for intake: a config, a real drop folder and a real SQLite database.
struct IntakeFixture {
    let folder: TemporaryFolder
    let configuration: TiedotinCore.Configuration
    let store: Store
    let clock: ManualClock

    init(language: String = "fi", settle: String = "5s", maxItemSize: String = "64KiB", acknowledge: Bool = false) throws {
        folder = TemporaryFolder("intake")
        let yaml = IntakeFixture.yaml(language: language, settle: settle, maxItemSize: maxItemSize, acknowledge: acknowledge)
        let file = try folder.write(yaml, to: "tiedotin.yaml")
        configuration = try ConfigurationLoader.load(path: file)
        store = try Store(path: configuration.paths.database)
        clock = ManualClock(Date())
        try FileManager.default.createDirectory(atPath: incoming, withIntermediateDirectories: true)
    }

    static func yaml(language: String, settle: String, maxItemSize: String, acknowledge: Bool) -> String {
        """
        organisation:
          name: Pohjois-Pohjanmaan hyvinvointialue
          language: \(language)
        paths:
          database: state/tiedotin.sqlite
          drop_folder: drop
          templates: \(Repository.path("Templates"))
          archive: archive
        mail:
          from: "Pohden järjestötyö <jarjestotyo@pohde.example.fi>"
          transport: maildir
          maildir: maildir
        networks:
          - id: jyry
            name: Järjestöyhteistyöryhmä JYRY
            kind: forum
        newsletter:
          sections:
            - id: ajankohtaista
              title: Ajankohtaista Pohteelta
            - id: koulutukset
              title: Koulutukset ja tapahtumat
            - id: vapaaehtoiset
              title: Vapaaehtoistoiminta ja vertaistuki
        intake:
          settle: \(settle)
          max_item_size: \(maxItemSize)
          acknowledge: \(acknowledge)

        """
    }

    var drop: String { folder.appending("drop") }
    var incoming: String { drop + "/incoming" }
    var accepted: String { drop + "/accepted" }
    var rejected: String { drop + "/rejected" }

    var intake: DropFolderIntake {
        var logger = Logger(label: "intake-test")
        logger.logLevel = .critical
        return DropFolderIntake(configuration: configuration, store: store, logger: logger)
    }

    /// Puts a file into `incoming/` as a submitter would.
    @discardableResult
    func drop(_ text: String, as name: String) throws -> String {
        try drop(Array(text.utf8), as: name)
    }

    @discardableResult
    func drop(_ bytes: [UInt8], as name: String) throws -> String {
        let path = incoming + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// A pass once everything dropped so far has settled.
    @discardableResult
    func runSettledPass() throws -> IntakeReport {
        clock.advance(by: configuration.intake.settle.timeInterval + 1)
        return try intake.runPass(now: clock.now)
    }

    func names(in folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
    }

    func errorText(_ name: String) throws -> String {
        try String(contentsOfFile: rejected + "/" + name + ".error.txt", encoding: .utf8)
    }

    func items() throws -> [NewsletterItem] {
        try store.read { db in try NewsletterItem.order(Column("id")).fetchAll(db) }
    }

    /// An item as the README shows it, with fields to replace or drop.
    static func item(
        title: String? = "Vapaaehtoistoiminnan perehdytys", organisation: String? = "Oulun ensi- ja turvakoti ry",
        section: String? = "vapaaehtoiset", extra: [String] = [], body: String = "Tervetuloa perehdytykseen!"
    ) -> String {
        var lines = ["---"]
        if let title { lines.append("title: \(title)") }
        if let organisation { lines.append("organisation: \(organisation)") }
        lines.append("contact: Pia Kangas <pia.kangas@example.fi>")
        if let section { lines.append("section: \(section)") }
        lines += extra
        lines += ["---", body]
        return lines.joined(separator: "\n") + "\n"
    }
}

/// The text of a quoted-printable body as a reader sees it.
enum MessageText {
    static func decode(_ data: Data) -> String {
        let raw = String(decoding: data, as: UTF8.self)
        let body = raw.components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n")
            .replacingOccurrences(of: "=\r\n", with: "")
        var bytes: [UInt8] = []
        var scalars = Array(body.utf8)[...]
        while let byte = scalars.popFirst() {
            if byte == UInt8(ascii: "="), scalars.count >= 2,
               let value = UInt8(String(decoding: scalars.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(value)
                scalars = scalars.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
    }
}
