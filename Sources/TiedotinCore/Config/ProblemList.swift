import Yams

/// A place in the config file: 1-based line and column.
struct Position: Sendable, Equatable {
    var line: Int
    var column: Int

    /// The first character of the file: where problems with no better place are reported.
    static let start = Position(line: 1, column: 1)

    init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    init?(_ mark: Mark?) {
        guard let mark else { return nil }
        self.init(line: mark.line, column: mark.column)
    }
}

/// The problems found so far while reading one config file.
///
/// A reference type on purpose: the readers for every section add to the same list, and the
/// list lives only for the duration of one synchronous load.
final class ProblemList {
    private(set) var problems: [ConfigurationProblem] = []

    var isEmpty: Bool { problems.isEmpty }

    func add(at position: Position?, key: String, _ message: String) {
        problems.append(ConfigurationProblem(line: position?.line, column: position?.column, key: key, message: message))
    }
}
