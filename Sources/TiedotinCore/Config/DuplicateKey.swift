import Foundation
import Yams

/// A key written twice in one section. YAML refuses the whole file for it and names only the
/// first of the two; the admin needs the second (the one to remove), with its key path, and the
/// rest of the file checked as well.
struct DuplicateKey {
    /// Where the second occurrence starts (1-based).
    var line: Int
    var column: Int
    var name: String
    /// The line of the first occurrence.
    var firstLine: Int
    /// The text with the second occurrence renamed to `placeholder`, so the file parses.
    var maskedText: String
    var placeholder: String

    /// Composes `yaml`, setting aside every key given a second time in its section. Throws YAML's
    /// own error for anything else (or a duplicate it cannot place).
    static func compose(_ yaml: String) throws -> (root: Node?, duplicates: [DuplicateKey], text: String) {
        var text = yaml
        var duplicates: [DuplicateKey] = []
        while true {
            do {
                return (try Yams.compose(yaml: text), duplicates, text)
            } catch YamlError.duplicatedKeysInMapping(let names, let context) {
                guard duplicates.count < 50,
                      let duplicate = locate(names: names, first: context.mark, in: text, number: duplicates.count)
                else { throw YamlError.duplicatedKeysInMapping(duplicates: names, context: context) }
                duplicates.append(duplicate)
                text = duplicate.maskedText
            }
        }
    }

    /// Finds the second `name` after the first one at `first` in the same block mapping, or nil
    /// (a flow mapping `{a: 1, a: 2}`, or nothing found: the caller reports YAML's own message).
    static func locate(names: [String], first: Mark, in text: String, number: Int) -> DuplicateKey? {
        var lines = text.components(separatedBy: "\n")
        guard first.line >= 1, first.line <= lines.count else { return nil }
        let indent = first.column - 1
        let firstLine = lines[first.line - 1]
        let firstKey = firstLine.dropFirst(indent)
        guard let name = names.first(where: { firstKey.hasPrefix($0 + ":") || firstKey.hasPrefix("\"\($0)\":") }) else { return nil }
        for index in first.line..<lines.count {
            let line = lines[index]
            let content = line.drop { $0 == " " }
            if content.isEmpty || content.hasPrefix("#") { continue }
            let column = line.count - content.count
            // A list item's first key sits after "- " at the mapping's own column.
            if column < indent && !(column + 2 == indent && content.hasPrefix("- ")) { break }
            guard column == indent else { continue }
            let key = line.dropFirst(indent)
            guard key.hasPrefix(name + ":") || key.hasPrefix("\"\(name)\":") else { continue }
            let placeholder = "tiedotin-duplicate-\(number)-" + name
            let prefix = String(line.prefix(indent))
            let rest = key.hasPrefix("\"") ? key.dropFirst(name.count + 2) : key.dropFirst(name.count)
            lines[index] = prefix + placeholder + rest
            return DuplicateKey(
                line: index + 1, column: indent + 1, name: name, firstLine: first.line,
                maskedText: lines.joined(separator: "\n"), placeholder: placeholder)
        }
        return nil
    }

    /// The problem at the second occurrence; `parent` is the key path of the section holding it.
    func problem(parent: String) -> ConfigurationProblem {
        let where_ = parent.isEmpty ? "at the top of the file" : "in \(parent)"
        return ConfigurationProblem(
            line: line, column: column, key: parent.isEmpty ? name : "\(parent).\(name)",
            message: "\(name) is given a second time \(where_) (first on line \(firstLine)); keep only one")
    }
}
