import Foundation

/// `check-config` and the service's reload: the config read in every stage (keys and paths,
/// secrets, templates, and on request the relay), every problem of every stage reported at once,
/// each with the line it concerns.
///
/// A stage is a value: the OAuth token check or any later one is one more `Stage` in the list.
public struct ConfigurationCheck: Sendable {
    /// What a stage looks at. `configuration` is nil when the keys themselves have problems:
    /// a stage then checks what it can from `locator` (the file's raw values) or nothing.
    public struct Input: Sendable {
        public let file: String
        public let configuration: Configuration?
        public let locator: KeyLocator
        /// The config file's folder, for relative paths read through `locator`.
        public let baseDirectory: String
        public let environment: [String: String]

        /// An input for a stage (the check makes it; tests of a single stage too).
        public init(
            file: String, configuration: Configuration?, locator: KeyLocator, baseDirectory: String, environment: [String: String]
        ) {
            self.file = file
            self.configuration = configuration
            self.locator = locator
            self.baseDirectory = baseDirectory
            self.environment = environment
        }

        /// A raw path value of the file, resolved as the loader would.
        public func path(_ key: String) -> String? {
            locator.scalar(key).map { PathCheck.resolve($0, against: baseDirectory) }
        }
    }

    /// What a stage found: problems, and notes for the admin (such as "logged in to the relay").
    public struct Findings: Sendable {
        public var problems: [ConfigurationProblem]
        public var notes: [String]

        /// Findings; none by default.
        public init(problems: [ConfigurationProblem] = [], notes: [String] = []) {
            self.problems = problems
            self.notes = notes
        }
    }

    /// One stage of the check.
    public struct Stage: Sendable {
        public let name: String
        public let run: @Sendable (Input) async -> Findings

        /// A stage named `name` (for reading the code and logs) that runs `run`.
        public init(name: String, run: @escaping @Sendable (Input) async -> Findings) {
            self.name = name
            self.run = run
        }
    }

    /// The outcome: the config when every stage passed.
    public struct Report: Sendable {
        public let file: String
        /// The config as read; nil when the keys have problems (a later stage may still have found some).
        public let configuration: Configuration?
        public let problems: [ConfigurationProblem]
        public let notes: [String]

        /// True when no stage found a problem.
        public var passed: Bool { configuration != nil && problems.isEmpty }

        /// The config, when every stage passed.
        public var passedConfiguration: Configuration? { passed ? configuration : nil }

        /// Every problem, one `FILE:LINE:COLUMN: KEY: message` line each.
        public var lines: [String] { problems.map { $0.formatted(file: file) } }
    }

    /// The stages after the keys, in order.
    public let stages: [Stage]

    /// A check with `stages` after the keys (by default the offline ones).
    public init(stages: [Stage] = ConfigurationCheck.offlineStages) {
        self.stages = stages
    }

    /// The stages that need no network: the secrets and the templates.
    public static let offlineStages: [Stage] = [.secrets, .templates]

    /// Reads the file at `path` and runs every stage, whatever the earlier ones found.
    public func run(path: String, environment: [String: String]) async -> Report {
        var problems: [ConfigurationProblem] = []
        var configuration: Configuration?
        do {
            configuration = try ConfigurationLoader.load(path: path)
        } catch {
            problems += error.problems
        }
        let absolute = PathCheck.resolve(path, against: FileManager.default.currentDirectoryPath)
        let input = Input(
            file: path, configuration: configuration, locator: KeyLocator(file: path),
            baseDirectory: PathCheck.parent(of: absolute), environment: environment)
        var notes: [String] = []
        for stage in stages {
            let findings = await stage.run(input)
            problems += findings.problems
            notes += findings.notes
        }
        return Report(file: path, configuration: configuration, problems: problems, notes: notes)
    }
}

extension ConfigurationCheck.Stage {
    /// The SMTP password and OAuth client secret can be read (systemd credential or file).
    public static let secrets = ConfigurationCheck.Stage(name: "secrets") { input in
        let secrets = Secrets(environment: input.environment)
        let smtp: Configuration.SMTP
        if let configuration = input.configuration {
            guard configuration.mail.transport == .smtp else { return .init() }
            smtp = configuration.mail.smtp
        } else {
            // The keys have problems: check the password file the file names, if it would be used.
            let locator = input.locator
            guard (locator.scalar("mail.transport") ?? "smtp") == "smtp" else { return .init() }
            let auth = locator.scalar("mail.smtp.auth") ?? (locator.scalar("mail.smtp.username") != nil ? "password" : "none")
            guard auth == "password", let url = URL(string: ConfigurationDefaults.smtpURL) else { return .init() }
            smtp = Configuration.SMTP(
                url: url, startTLS: .off, auth: .password, username: nil,
                passwordFile: input.path("mail.smtp.password_file") ?? ConfigurationDefaults.passwordFile,
                timeout: ConfigurationDefaults.smtpTimeout, caFile: nil, oauth: nil)
        }
        return .init(problems: secrets.errors(for: smtp).map { input.locator.problem($0.key, $0.description) })
    }

    /// Every template the service uses parses; a template's problem names its own file and line.
    public static let templates = ConfigurationCheck.Stage(name: "templates") { input in
        let folder = input.configuration?.paths.templates ?? input.path("paths.templates") ?? ConfigurationDefaults.templates
        // A missing folder is the keys stage's one problem (paths.templates), not one per template.
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else { return .init() }
        let library = TemplateLibrary(folder: folder)
        let problems = TemplateLibrary.required.compactMap { name -> ConfigurationProblem? in
            do throws(TemplateError) {
                _ = try library.template(name)
                return nil
            } catch {
                switch error {
                case .syntax(let path, let line, let column, let problem, let text):
                    let shown = text.trimmingCharacters(in: .whitespacesAndNewlines)
                    return ConfigurationProblem(
                        line: line, column: column, key: name,
                        message: "the template does not parse (\(problem)) in: \(shown); check the {{ }} tags there", file: path)
                case .unreadable(let path, let reason):
                    let why = FileManager.default.fileExists(atPath: path) ? "cannot be read (\(reason))" : "does not exist"
                    return input.locator.problem(
                        "paths.templates", "the template \(path) \(why); put the templates there or point paths.templates at them")
                }
            }
        }
        return .init(problems: problems)
    }
}
