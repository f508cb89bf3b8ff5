import Foundation
import MIME
import Yams

/// Reads one drop-folder file's bytes into an item, or into every problem found with it.
/// Pure: the config's sections and today's date come in as values.
struct ItemParser: Sendable {
    /// What a valid file says.
    struct ParsedItem: Sendable, Equatable {
        var title: String
        var organisation: String
        var contact: String?
        var section: String
        var eventDate: String?
        var link: String?
        var publishUntil: String?
        var body: String
        /// SHA-256 of the text with its byte-order mark dropped and line ends made LF, so that
        /// the same item saved by another editor is still recognised.
        var contentHash: String
    }

    /// Every problem found with a file, and its `contact` when one could be read (for the acknowledgement).
    struct Failure: Error, Sendable, Equatable {
        var problems: [IntakeProblem]
        var contact: String? = nil
    }

    let sections: [Configuration.Newsletter.Section]
    /// `YYYY-MM-DD` in the organisation's time zone: `publish_until` before it is refused.
    let today: String

    func parse(_ bytes: [UInt8]) -> Result<ParsedItem, Failure> {
        switch parseFields(bytes) {
        case .failure(let failure): .failure(failure)
        case .success(let (fields, body, hash)): validate(fields, body: body, hash: hash)
        }
    }

    private func parseFields(_ bytes: [UInt8]) -> Result<([String: Field], String, String), Failure> {
        var bytes = bytes[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        guard let decoded = String(validating: bytes, as: UTF8.self) else {
            return .failure(Failure(problems: [.notUTF8(line: UTF8Lines.firstInvalidLine(bytes))]))
        }
        let text = decoded.replacingOccurrences(of: "\r\n", with: "\n")
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let first = lines.first, first.trimmingCharacters(in: .whitespaces) == "---" else {
            return .failure(Failure(problems: [.noFrontMatter]))
        }
        guard let close = lines.dropFirst().firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "---" }) else {
            return .failure(Failure(problems: [.unclosedFrontMatter]))
        }
        let yaml = lines[1..<close].joined(separator: "\n")
        let body = lines[(close + 1)...].joined(separator: "\n").trimmingCharacters(in: .newlines)
        switch fields(yaml) {
        case .failure(let failure): return .failure(failure)
        case .success(let fields): return .success((fields, body, SHA256.hex(Array(text.utf8))))
        }
    }

    /// A field as written: its text (nil when not a plain scalar) and its line in the file.
    private struct Field {
        var value: String?
        var line: Int
    }

    /// The front matter's fields; YAML lines count from 1 at the line after the first `---`.
    private func fields(_ yaml: String) -> Result<[String: Field], Failure> {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            return .failure(Failure(problems: [syntaxProblem(error)]))
        }
        guard let root else { return .success([:]) }
        guard let mapping = root.mapping else {
            return .failure(Failure(problems: [.frontMatterNotMapping(line: (root.mark?.line ?? 1) + 1)]))
        }
        var fields: [String: Field] = [:]
        var problems: [IntakeProblem] = []
        for (key, value) in mapping {
            let line = (key.mark?.line ?? 1) + 1
            // A key that is not plain text (a list, an alias) is not a field name; never print it whole.
            guard let name = key.scalar?.string else {
                problems.append(.frontMatterNotMapping(line: line))
                continue
            }
            guard ItemFields.all.contains(name) else {
                problems.append(.unknownField(name, line: line, suggestion: ItemFields.suggestion(for: name)))
                continue
            }
            if fields[name] != nil {
                problems.append(.duplicateField(name, line: line))
                continue
            }
            let text = value.scalar?.string.trimmingCharacters(in: .whitespacesAndNewlines)
            fields[name] = Field(value: text?.isEmpty == false ? text : nil, line: (value.mark?.line ?? line - 1) + 1)
        }
        return problems.isEmpty ? .success(fields) : .failure(Failure(problems: problems))
    }

    private func validate(_ fields: [String: Field], body: String, hash: String) -> Result<ParsedItem, Failure> {
        var problems: [IntakeProblem] = []
        func text(_ key: String) -> String? {
            guard let field = fields[key] else {
                if ItemFields.required.contains(key) { problems.append(.missingField(key)) }
                return nil
            }
            guard let value = field.value, !value.contains("\n") || key == "title" else {
                problems.append(.notText(key, line: field.line))
                return nil
            }
            return value
        }
        let title = text("title")
        let organisation = text("organisation")
        let section = text("section")
        if let section, !sections.contains(where: { $0.id == section }) {
            problems.append(.unknownSection(section, line: fields["section"]!.line, configured: sections.map { "\($0.id) (\($0.title))" }))
        }
        let contact = text("contact")
        if let contact, (try? EmailAddress(parsing: contact)) == nil {
            problems.append(.badContact(contact, line: fields["contact"]!.line))
        }
        let eventDate = text("date")
        if let eventDate, !ItemParser.isDate(eventDate) {
            problems.append(.badDate(field: "date", value: eventDate, line: fields["date"]!.line))
        }
        let publishUntil = text("publish_until")
        if let publishUntil {
            if !ItemParser.isDate(publishUntil) {
                problems.append(.badDate(field: "publish_until", value: publishUntil, line: fields["publish_until"]!.line))
            } else if publishUntil < today {
                problems.append(.publishUntilPassed(value: publishUntil, line: fields["publish_until"]!.line))
            }
        }
        let link = text("link")
        if let link, !SafeMarkdown.isAllowedLink(link) {
            problems.append(.badLink(link, line: fields["link"]!.line))
        }
        guard problems.isEmpty, let title, let organisation, let section else {
            return .failure(Failure(problems: problems, contact: contact ?? fields["contact"]?.value))
        }
        return .success(ParsedItem(
            title: title.replacingOccurrences(of: "\n", with: " "), organisation: organisation, contact: contact,
            section: section, eventDate: eventDate, link: link, publishUntil: publishUntil, body: body, contentHash: hash))
    }

    /// `YYYY-MM-DD` naming a real day.
    static func isDate(_ text: String) -> Bool {
        guard let match = text.wholeMatch(of: /(\d{4})-(\d{2})-(\d{2})/),
              let year = Int(match.1), let month = Int(match.2), let day = Int(match.3),
              (1...12).contains(month), day >= 1 else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return day <= days
    }

    private func syntaxProblem(_ error: any Error) -> IntakeProblem {
        switch error {
        case YamlError.scanner(_, let problem, let mark, _),
             YamlError.parser(_, let problem, let mark, _),
             YamlError.composer(_, let problem, let mark, _):
            .yamlSyntax(line: mark.line + 1, problem: problem)
        case YamlError.duplicatedKeysInMapping(let duplicates, let context):
            .duplicateField(duplicates.sorted().joined(separator: ", "), line: context.mark.line + 1)
        default:
            .yamlSyntax(line: 2, problem: "\(error)")
        }
    }
}
