import Yams

/// One YAML mapping (a section) of the config being read: hands out its values by key, and reports
/// keys it does not know, with the closest known key as a suggestion.
///
/// An absent or empty section reads as one with no keys, so that its required keys are reported
/// one by one instead of as a single vague "section missing".
struct MappingReader {
    /// The key path of this section (`mail.rate`, `forums[0]`, or empty for the whole file).
    let path: String
    /// Where problems about keys missing from this section are reported.
    let position: Position
    let problems: ProblemList
    private var entries: [String: (keyPosition: Position?, value: Node)] = [:]
    /// True when the value is not a section at all: that is reported once, not once per missing key.
    private var isWrongType = false

    init(_ node: Node?, path: String, position: Position, known: [String], problems: ProblemList) {
        self.path = path
        self.position = position
        self.problems = problems
        guard let node, !node.isNull else { return }
        guard case .mapping(let mapping) = node else {
            isWrongType = true
            problems.add(
                at: Position(node.mark) ?? position, key: path,
                "expected a section of keys, found \(node.kindDescription); write its keys on the lines below it, "
                    + "indented, such as \(known.prefix(2).map { "\($0): ..." }.joined(separator: " and "))")
            return
        }
        for (keyNode, value) in mapping {
            let keyPosition = Position(keyNode.mark)
            guard case .scalar(let scalar) = keyNode else {
                problems.add(at: keyPosition, key: path, "a key must be a plain word followed by a colon, such as \(known.first ?? "name"):")
                continue
            }
            let name = scalar.string
            guard known.contains(name) else {
                problems.add(at: keyPosition, key: child(name), Self.unknownKeyMessage(name, known: known, in: path))
                continue
            }
            entries[name] = (keyPosition, value)
        }
    }

    /// The key path of `key` inside this section.
    func child(_ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }

    /// True when the file gives `key` a value (an empty value or `null` counts as not given).
    func has(_ key: String) -> Bool {
        value(key) != nil
    }

    /// The value of `key`, or nil when absent or empty.
    func value(_ key: String) -> ValueReader? {
        guard let entry = entries[key], !entry.value.isNull else { return nil }
        return ValueReader(node: entry.value, path: child(key), keyPosition: entry.keyPosition, problems: problems)
    }

    /// The value of a required key; reports it as missing when absent.
    func required(_ key: String, example: String) -> ValueReader? {
        if let value = value(key) { return value }
        if isWrongType { return nil }
        let place = entries[key]?.keyPosition ?? position
        problems.add(at: place, key: child(key), "is missing and required; add it, for example \(key): \(example)")
        return nil
    }

    /// A nested section; an absent one reads as empty (its required keys are then reported).
    func section(_ key: String, known: [String]) -> MappingReader {
        let entry = entries[key]
        return MappingReader(
            entry?.value, path: child(key), position: entry?.keyPosition ?? position, known: known, problems: problems)
    }

    /// Where `key` is written, or this section's position when it is not.
    func position(of key: String) -> Position {
        entries[key]?.keyPosition ?? position
    }

    private static func unknownKeyMessage(_ name: String, known: [String], in path: String) -> String {
        let place = path.isEmpty ? "at the top of the file" : "in \(path)"
        if let suggestion = KeySuggestion.closest(to: name, among: known) {
            return "\"\(name)\" is not a key tiedotin knows \(place); did you mean \(suggestion)?"
        }
        return "\"\(name)\" is not a key tiedotin knows \(place); the keys here are \(KeySuggestion.list(known))"
    }
}

extension Node {
    /// A plain empty value, `~` or `null`: YAML's way of writing "nothing".
    var isNull: Bool {
        guard case .scalar(let scalar) = self, scalar.style == .plain else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    /// How a message names what the admin wrote: `"text"`, `a list` or `a section of keys`.
    var kindDescription: String {
        switch self {
        case .scalar(let scalar): "\"\(scalar.string)\""
        case .sequence: "a list"
        case .mapping: "a section of keys"
        case .alias: "an alias"
        }
    }
}
