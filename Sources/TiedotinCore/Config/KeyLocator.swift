import Foundation
import Yams

/// Where each key of a config file is, by its dotted path (`mail.smtp.password_file`,
/// `forums[0].id`): for problems found after the file was read (secrets, templates, the relay),
/// which must still name the line.
public struct KeyLocator: Sendable {
    private struct Entry: Sendable {
        var line: Int
        var column: Int
        var scalar: String?
    }

    private var entries: [String: Entry] = [:]

    /// Reads `yaml` (a key given twice stands at its first place); an empty locator when it does
    /// not parse (the loader reports that).
    public init(yaml: String) {
        guard let root = try? DuplicateKey.compose(yaml).root else { return }
        collect(root, path: "")
    }

    /// Reads the file at `path`; an empty locator when it cannot be read.
    public init(file path: String) {
        self.init(yaml: (try? String(contentsOfFile: path, encoding: .utf8)) ?? "")
    }

    /// The place of `path`'s key, else of its nearest ancestor that the file has, else nil.
    public func position(of path: String) -> (line: Int, column: Int)? {
        var path = path
        while !path.isEmpty {
            if let entry = entries[path] { return (entry.line, entry.column) }
            guard let dot = path.lastIndex(where: { $0 == "." || $0 == "[" }) else { break }
            path = String(path[..<dot])
        }
        return nil
    }

    /// The text of `path`'s value when it is a scalar.
    public func scalar(_ path: String) -> String? {
        entries[path]?.scalar
    }

    /// The key path of the section that holds the key at `line`:`column` (empty for the top).
    public func parentPath(ofKeyAt line: Int, column: Int) -> String? {
        guard let path = entries.first(where: { $0.value.line == line && $0.value.column == column })?.key else { return nil }
        // A list item's key has the item as its parent: `forums[0]`.
        guard let end = path.lastIndex(of: ".") else { return "" }
        return String(path[..<end])
    }

    /// A problem about `key`, placed at it (or its nearest ancestor).
    public func problem(_ key: String, _ message: String) -> ConfigurationProblem {
        let place = position(of: key)
        return ConfigurationProblem(line: place?.line, column: place?.column, key: key, message: message)
    }

    private mutating func collect(_ node: Node, path: String) {
        switch node {
        case .mapping(let mapping):
            for (key, value) in mapping {
                guard let name = key.string, let mark = key.mark else { continue }
                let child = path.isEmpty ? name : "\(path).\(name)"
                entries[child] = Entry(line: mark.line, column: mark.column, scalar: value.scalar?.string)
                collect(value, path: child)
            }
        case .sequence(let sequence):
            for (index, value) in sequence.enumerated() {
                let child = "\(path)[\(index)]"
                if let mark = value.mark { entries[child] = Entry(line: mark.line, column: mark.column, scalar: value.scalar?.string) }
                collect(value, path: child)
            }
        default:
            break
        }
    }
}
