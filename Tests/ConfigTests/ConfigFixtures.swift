import Foundation
import Testing
import TestSupport
@testable import TiedotinCore

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
let repositoryRoot = Repository.root

/// Loads `yaml` as if it were `tiedotin.yaml` in `folder` (whose `templates` subfolder is made first).
func load(_ yaml: String, in folder: TemporaryFolder, checkingFileSystem: Bool = true) throws -> Configuration {
    try folder.folder("templates")
    return try ConfigurationLoader.load(
        yaml: yaml, file: "tiedotin.yaml", baseDirectory: folder.path, checkingFileSystem: checkingFileSystem)
}

/// The problems loading `yaml` reports, in file order; empty when it loads.
func problems(_ yaml: String, checkingFileSystem: Bool = true) throws -> [ConfigurationProblem] {
    let folder = TemporaryFolder()
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
