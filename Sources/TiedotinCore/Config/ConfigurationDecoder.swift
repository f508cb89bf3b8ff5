import Foundation
import Yams

/// Turns the YAML tree of one config file into a `Configuration`, collecting every problem on the way
/// so the admin sees them all at once. The sections are read in the extensions beside this file.
struct ConfigurationDecoder {
    let file: String
    /// The config file's folder: relative paths in the file are resolved against it.
    let baseDirectory: String
    let checksFileSystem: Bool
    let problems = ProblemList()

    static let topKeys = ["organisation", "paths", "mail", "networks", "newsletter", "forums", "intake", "logging"]

    func decode(_ root: Node?) throws(ConfigurationError) -> Configuration {
        if let root, !root.isNull, root.mapping == nil {
            problems.add(
                at: Position(root.mark) ?? .start, key: "",
                "the file must be made of sections such as organisation:, paths:, mail: and networks:, "
                    + "found \(root.kindDescription); start from the commented Config/tiedotin.yaml")
            throw failure
        }
        let top = MappingReader(root, path: "", position: .start, known: Self.topKeys, problems: problems)
        let organisationSection = top.section("organisation", known: ["name", "timezone", "language"])
        let timeZone = decodeTimeZone(organisationSection)
        let organisation = decodeOrganisation(organisationSection, timeZone: timeZone)
        let paths = decodePaths(top.section("paths", known: ["database", "drop_folder", "templates", "archive"]))
        let networks = decodeNetworks(top)
        let mail = decodeMail(top.section("mail", known: Self.mailKeys))
        let newsletter = decodeNewsletter(top.section("newsletter", known: Self.newsletterKeys), networks: networks, mail: mail)
        let forums = decodeForums(
            top.value("forums"), networks: networks, defaultOrganizer: mail?.from, timeZone: timeZone)
        let intake = decodeIntake(top.section("intake", known: ["settle", "max_item_size", "acknowledge"]))
        let logging = decodeLogging(top.section("logging", known: ["level"]))

        guard problems.isEmpty, let organisation, let paths, let mail, let newsletter else { throw failure }
        return Configuration(
            file: file, organisation: organisation, paths: paths, mail: mail, networks: networks.list,
            newsletter: newsletter, forums: forums, intake: intake, logging: logging)
    }

    /// Every problem, in the order of the file (problems without a line first).
    private var failure: ConfigurationError {
        let ordered = problems.problems.enumerated().sorted { a, b in
            let left = (a.element.line ?? 0, a.element.column ?? 0, a.offset)
            let right = (b.element.line ?? 0, b.element.column ?? 0, b.offset)
            return left < right
        }
        return ConfigurationError(file: file, problems: ordered.map(\.element))
    }

    // MARK: organisation

    /// `organisation.timezone`, read first: every local time in the file is checked in it.
    private func decodeTimeZone(_ section: MappingReader) -> TimeZone? {
        guard let value = section.value("timezone") else { return TimeZone(identifier: ConfigurationDefaults.timeZone) }
        guard let text = value.nonEmptyText(example: ConfigurationDefaults.timeZone) else { return nil }
        if let timeZone = TimeZone(identifier: text) { return timeZone }
        let guess = KeySuggestion.closest(to: text, among: TimeZone.knownTimeZoneIdentifiers).map { "did you mean \($0)? " } ?? ""
        value.report("\"\(text)\" is not an IANA time-zone name; \(guess)write a name such as timezone: Europe/Helsinki")
        return nil
    }

    private func decodeOrganisation(_ section: MappingReader, timeZone: TimeZone?) -> Configuration.Organisation? {
        let name = section.required("name", example: "Pohjois-Pohjanmaan hyvinvointialue")?
            .nonEmptyText(example: "Pohjois-Pohjanmaan hyvinvointialue")
        let language = section.value("language")?.choice(Configuration.Language.self, noun: "a language tiedotin writes")
            ?? ConfigurationDefaults.language
        guard let name, let timeZone else { return nil }
        return Configuration.Organisation(name: name, timeZone: timeZone, language: language)
    }

    // MARK: paths

    private func decodePaths(_ section: MappingReader) -> Configuration.Paths? {
        let database = section.required("database", example: "/var/lib/tiedotin/tiedotin.sqlite")
            .flatMap { path($0, example: "/var/lib/tiedotin/tiedotin.sqlite") }
        let dropFolder = section.required("drop_folder", example: "/var/spool/tiedotin")
            .flatMap { path($0, example: "/var/spool/tiedotin") }
        let templates = section.value("templates").map { path($0, example: ConfigurationDefaults.templates) }
            ?? ConfigurationDefaults.templates
        let archive = section.value("archive").map { path($0, example: ConfigurationDefaults.archive) }
            ?? ConfigurationDefaults.archive

        if checksFileSystem {
            if let templates, let why = PathCheck.existingFolder(templates) {
                problems.add(
                    at: section.value("templates")?.position ?? section.position(of: "templates"), key: "paths.templates",
                    "\(why); install the templates there, or set templates: to the folder that holds them "
                        + "(the repository's Templates folder in development)")
            }
            if let database {
                var isFolder: ObjCBool = false
                if FileManager.default.fileExists(atPath: database, isDirectory: &isFolder), isFolder.boolValue {
                    section.value("database")?.report(
                        "\(database) is a folder; name the database file itself, such as database: \(database)/tiedotin.sqlite")
                } else {
                    checkCreatable(PathCheck.parent(of: database), in: section, key: "database", what: "the database's folder")
                }
            }
            if let dropFolder { checkCreatable(dropFolder, in: section, key: "drop_folder", what: "the drop folder") }
            if let archive { checkCreatable(archive, in: section, key: "archive", what: "the archive folder") }
        }
        guard let database, let dropFolder, let templates, let archive else { return nil }
        return Configuration.Paths(database: database, dropFolder: dropFolder, templates: templates, archive: archive)
    }

    /// A path value, made absolute against the config file's folder.
    func path(_ value: ValueReader, example: String) -> String? {
        value.nonEmptyText(example: example).map { PathCheck.resolve($0, against: baseDirectory) }
    }

    /// Reports `path` (the value of `key` in `section`, or its default) when it cannot be a folder the service writes.
    func checkCreatable(_ path: String, in section: MappingReader, key: String, what: String) {
        guard let why = PathCheck.creatableFolder(path) else { return }
        problems.add(
            at: section.value(key)?.position ?? section.position(of: key), key: section.child(key),
            "\(why); create \(what) for the service's user (for example install -d -o tiedotin \(path)) or choose another place")
    }

    // MARK: intake and logging

    private func decodeIntake(_ section: MappingReader) -> Configuration.Intake {
        Configuration.Intake(
            settle: section.value("settle")?.duration(example: "5s") ?? ConfigurationDefaults.settle,
            maxItemSize: section.value("max_item_size")?.size(example: "1MiB") ?? ConfigurationDefaults.maxItemSize,
            acknowledge: section.value("acknowledge")?.boolean() ?? ConfigurationDefaults.acknowledge)
    }

    private func decodeLogging(_ section: MappingReader) -> Configuration.Logging {
        guard let value = section.value("level"), let text = value.nonEmptyText(example: "info") else {
            return Configuration.Logging(level: ConfigurationDefaults.logLevel)
        }
        let levels = ConfigurationDefaults.logLevels
        guard levels.contains(text) else {
            let guess = KeySuggestion.closest(to: text, among: levels).map { " (did you mean \($0)?)" } ?? ""
            value.report("\"\(text)\" is not a log level\(guess); write \(KeySuggestion.list(levels))")
            return Configuration.Logging(level: ConfigurationDefaults.logLevel)
        }
        return Configuration.Logging(level: text)
    }
}
