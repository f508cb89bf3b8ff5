import Foundation
import Mustache
import Synchronization

/// The admin's editable Mustache templates in `paths.templates`, loaded and checked by name.
///
/// A template that does not parse is reported with its file, line and column, so the admin can
/// fix it; nothing is sent with a broken template.
///
/// The file is read at every use, so an edit counts from the next message on, but parsed only when
/// its text changed: invitations to a forum of a thousand members render the same three templates
/// a thousand times, and parsing them each time was a third of planning them.
public struct TemplateLibrary: Sendable {
    public let folder: String
    private let parsed = ParsedTemplates()

    public init(folder: String) {
        self.folder = folder
    }

    /// The templates the service uses; `check-config` parses each.
    public static let required = ["notice.html", "notice.txt", "acknowledgement.txt"]
        + EditionRenderer.templateNames
        + MeetingComposer.templateNames

    /// Renders `NAME.mustache` (e.g. `notice.html`) with `context`.
    public func render(_ name: String, _ context: [String: Any]) throws(TemplateError) -> String {
        try template(name).render(context)
    }

    /// Parses `NAME.mustache`, reporting where it is wrong.
    public func template(_ name: String) throws(TemplateError) -> MustacheTemplate {
        let path = folder + "/" + name + ".mustache"
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .unreadable(path: path, reason: error.localizedDescription)
        }
        if let template = parsed.template(name, parsedFrom: text) { return template }
        do {
            let template = try MustacheTemplate(string: text)
            parsed.keep(template, name, parsedFrom: text)
            return template
        } catch let error as MustacheTemplate.ParserError {
            throw .syntax(
                path: path, line: error.context.lineNumber, column: error.context.columnNumber,
                problem: "\(error.error)", text: error.context.line)
        } catch {
            throw .syntax(path: path, line: 1, column: 1, problem: "\(error)", text: "")
        }
    }
}

/// The templates a library has parsed, each with the text it was parsed from.
private final class ParsedTemplates: Sendable {
    private let templates = Mutex([String: (text: String, template: MustacheTemplate)]())

    /// The template parsed from exactly `text` under `name`, if it was.
    func template(_ name: String, parsedFrom text: String) -> MustacheTemplate? {
        templates.withLock { templates in
            guard let kept = templates[name], kept.text == text else { return nil }
            return kept.template
        }
    }

    func keep(_ template: MustacheTemplate, _ name: String, parsedFrom text: String) {
        templates.withLock { $0[name] = (text, template) }
    }
}

/// A template that cannot be used.
public enum TemplateError: Error, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case syntax(path: String, line: Int, column: Int, problem: String, text: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            "\(path): cannot read the template (\(reason)); check paths.templates in the config"
        case .syntax(let path, let line, let column, let problem, let text):
            "\(path):\(line):\(column): the template does not parse (\(problem)) in: \(text.trimmingCharacters(in: .whitespacesAndNewlines)); check the {{ }} tags there"
        }
    }
}
