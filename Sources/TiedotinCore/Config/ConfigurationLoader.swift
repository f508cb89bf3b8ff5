import Foundation
import Yams

/// Reads `tiedotin.yaml` into a `Configuration`, reporting every problem at once.
///
/// The loader reads only the file it is given (and, unless told not to, looks at the paths the file
/// names). It never reads the process environment: secrets are `Secrets`' job.
public enum ConfigurationLoader {
    /// Loads and validates the file at `path`. Relative paths inside the file are resolved against
    /// the file's folder. With `checkingFileSystem` false the configured folders are not looked at
    /// (for reading a config meant for another machine, such as the shipped example).
    public static func load(path: String, checkingFileSystem: Bool = true) throws(ConfigurationError) -> Configuration {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ConfigurationError(file: path, problems: [
                ConfigurationProblem(line: nil, column: nil, key: "", message: unreadableMessage(path)),
            ])
        }
        let text: String
        switch decodeUTF8(data) {
        case .success(let decoded):
            text = decoded
        case .failure(let failure):
            let line = failure.value
            throw ConfigurationError(file: path, problems: [
                ConfigurationProblem(line: line, column: 1, key: "", message: "this line is not UTF-8 text; save the file as UTF-8"),
            ])
        }
        let absolute = PathCheck.resolve(path, against: FileManager.default.currentDirectoryPath)
        return try load(yaml: text, file: path, baseDirectory: PathCheck.parent(of: absolute),
                        checkingFileSystem: checkingFileSystem)
    }

    /// Validates config text that did not come from a file of its own (tests, other tools).
    /// `file` names it in messages; relative paths are resolved against `baseDirectory`.
    public static func load(
        yaml: String, file: String, baseDirectory: String, checkingFileSystem: Bool = true
    ) throws(ConfigurationError) -> Configuration {
        // A key given twice: reported at the second occurrence, which is then set aside so that
        // the rest of the file is still checked.
        let root: Node?
        let duplicates: [DuplicateKey]
        let text: String
        do {
            (root, duplicates, text) = try DuplicateKey.compose(yaml)
        } catch {
            throw ConfigurationError(file: file, problems: [syntaxProblem(error)])
        }
        let decoder = ConfigurationDecoder(
            file: file, baseDirectory: PathCheck.resolve(baseDirectory, against: FileManager.default.currentDirectoryPath),
            checksFileSystem: checkingFileSystem)
        guard !duplicates.isEmpty else { return try decoder.decode(root) }
        let locator = KeyLocator(yaml: text)
        let found = duplicates.map { duplicate in
            duplicate.problem(parent: locator.parentPath(ofKeyAt: duplicate.line, column: duplicate.column) ?? "")
        }
        var others: [ConfigurationProblem] = []
        do {
            _ = try decoder.decode(root)
        } catch {
            // The set-aside key reads as an unknown one: that is the duplicate, already reported.
            others = error.problems.filter { problem in
                !duplicates.contains { $0.line == problem.line && $0.column == problem.column }
            }
        }
        let ordered = (found + others).sorted { ($0.line ?? 0, $0.column ?? 0) < ($1.line ?? 0, $1.column ?? 0) }
        throw ConfigurationError(file: file, problems: ordered)
    }

    private static func unreadableMessage(_ path: String) -> String {
        var isFolder: ObjCBool = false
        if !FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) {
            return "the config file does not exist; create it (Config/tiedotin.yaml is a commented example) "
                + "or name another with --config PATH or TIEDOTIN_CONFIG"
        }
        if isFolder.boolValue {
            return "this is a folder, not a config file; name the file itself, such as \(path)/tiedotin.yaml"
        }
        return "the config file cannot be read by this user; make it readable (for example chmod 640 and group tiedotin)"
    }

    /// The text, or the 1-based line of the first byte sequence that is not UTF-8.
    private static func decodeUTF8(_ data: Data) -> Result<String, LineNumber> {
        if let text = String(data: data, encoding: .utf8) { return .success(text) }
        return .failure(LineNumber(value: UTF8Lines.firstInvalidLine(data)))
    }

    private static func syntaxProblem(_ error: any Error) -> ConfigurationProblem {
        let advice = "check the indentation (spaces, not tabs) and put quotes around values that contain \": \" or start with a special character"
        switch error {
        case YamlError.scanner(let context, let problem, let mark, _),
             YamlError.parser(let context, let problem, let mark, _),
             YamlError.composer(let context, let problem, let mark, _):
            let during = context.map { " (\($0.text) at line \($0.mark.line))" } ?? ""
            return ConfigurationProblem(line: mark.line, column: mark.column, key: "",
                                        message: "YAML syntax error: \(problem)\(during); \(advice)")
        case YamlError.duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.sorted().joined(separator: ", ")
            return ConfigurationProblem(line: context.mark.line, column: context.mark.column, key: "",
                                        message: "the key \(keys) appears more than once in the same section; keep only one")
        default:
            return ConfigurationProblem(line: nil, column: nil, key: "", message: "cannot read as YAML: \(error); \(advice)")
        }
    }
}

/// A 1-based line number, as a `Result` failure.
private struct LineNumber: Error {
    var value: Int
}
