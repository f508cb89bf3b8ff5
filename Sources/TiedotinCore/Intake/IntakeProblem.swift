/// Why a drop-folder file was rejected, with the line it concerns (1 = the file's first line,
/// front matter included). The texts the submitter reads are in `IntakeTexts`.
public enum IntakeProblem: Sendable, Equatable {
    /// A symbolic link: its target might be anything on the machine.
    case symbolicLink
    /// A folder, pipe, socket or device; `kind` names it for the admin's log.
    case notRegularFile(kind: String)
    /// A regular file with other names too (a hard link): it could be a file of someone else's.
    case hardLink
    /// The file's name is not UTF-8, so it cannot be shown or stored.
    case nameNotUTF8
    case tooLarge(size: Int, limit: Int)
    case notUTF8(line: Int)
    /// The first line is not `---`.
    case noFrontMatter
    /// No `---` line ends the front matter.
    case unclosedFrontMatter
    /// The YAML parser's complaint, in its own (English) words.
    case yamlSyntax(line: Int, problem: String)
    /// The front matter is YAML but not a list of `key: value` lines.
    case frontMatterNotMapping(line: Int)
    case unknownField(String, line: Int, suggestion: String?)
    case duplicateField(String, line: Int)
    case missingField(String)
    /// A field whose value is empty or not plain text.
    case notText(String, line: Int)
    case unknownSection(String, line: Int, configured: [String])
    case badDate(field: String, value: String, line: Int)
    /// `publish_until` is already over, so the item could never be published.
    case publishUntilPassed(value: String, line: Int)
    case badLink(String, line: Int)
    case badContact(String, line: Int)
    /// The same text was already received, as `of` in `accepted/`.
    case duplicate(of: String)

    /// The line the problem concerns.
    public var line: Int {
        switch self {
        case .notUTF8(let line), .yamlSyntax(let line, _), .frontMatterNotMapping(let line),
             .unknownField(_, let line, _), .duplicateField(_, let line), .notText(_, let line),
             .unknownSection(_, let line, _), .badDate(_, _, let line), .publishUntilPassed(_, let line),
             .badLink(_, let line), .badContact(_, let line):
            line
        case .symbolicLink, .notRegularFile, .hardLink, .nameNotUTF8, .tooLarge, .noFrontMatter, .unclosedFrontMatter,
             .missingField, .duplicate:
            1
        }
    }
}
