import Foundation
import Testing
@testable import TiedotinCore

/// A fresh folder under the system's temporary folder, removed when the value goes away.
/// Each test makes its own, so tests run in parallel without touching each other's files.
final class TemporaryFolder {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory
            .appendingPathComponent("tiedotin-config-tests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Writes `text` to `name` inside the folder (creating subfolders) and returns the file's path.
    @discardableResult
    func write(_ text: String, to name: String) throws -> String {
        let file = path + "/" + name
        try FileManager.default.createDirectory(
            atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        return file
    }

    /// Makes a folder inside this one and returns its path.
    @discardableResult
    func folder(_ name: String) throws -> String {
        let folder = path + "/" + name
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }
}

/// Pieces of a valid config, to be put together with a faulty piece first so that the faulty
/// lines have small, obvious line numbers.
enum ConfigText {
    static let organisation = """
        organisation:
          name: Pohjois-Pohjanmaan hyvinvointialue

        """

    static let paths = """
        paths:
          database: tiedotin.sqlite
          drop_folder: drop
          templates: templates
          archive: archive

        """

    static let mail = """
        mail:
          from: "Pohden järjestötyö <jarjestotyo@pohde.example.fi>"
          transport: maildir
          maildir: maildir

        """

    static let networks = """
        networks:
          - id: jyry
            name: Järjestöyhteistyöryhmä JYRY
            kind: forum
          - id: ikaihmiset
            name: Ikäihmisten palvelujen järjestöverkosto
            kind: service-area

        """

    /// Organisation, paths, mail and networks: the smallest config that loads.
    static let minimal = organisation + paths + mail + networks
}

/// The repository's root folder, found from this source file's place in it.
let repositoryRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

/// Loads `yaml` as if it were `tiedotin.yaml` in `folder` (whose `templates` subfolder is made first).
func load(_ yaml: String, in folder: TemporaryFolder, checkingFileSystem: Bool = true) throws -> Configuration {
    try folder.folder("templates")
    return try ConfigurationLoader.load(
        yaml: yaml, file: "tiedotin.yaml", baseDirectory: folder.path, checkingFileSystem: checkingFileSystem)
}

/// The problems loading `yaml` reports, in file order; empty when it loads.
func problems(_ yaml: String, checkingFileSystem: Bool = true) throws -> [ConfigurationProblem] {
    let folder = try TemporaryFolder()
    do {
        _ = try load(yaml, in: folder, checkingFileSystem: checkingFileSystem)
        return []
    } catch let error as ConfigurationError {
        return error.problems
    }
}

/// The one problem loading `yaml` reports; records a test failure when there is not exactly one.
func problem(_ yaml: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> ConfigurationProblem? {
    let found = try problems(yaml)
    #expect(found.count == 1, "expected one problem, found: \(found.map { $0.formatted(file: "tiedotin.yaml") })",
            sourceLocation: sourceLocation)
    return found.first
}
