/// One thing wrong in a member CSV file, with the line it starts on.
public struct ImportProblem: Sendable, Equatable, CustomStringConvertible {
    /// The line the record starts on (the header is line 1), or nil when the problem is the file as a whole.
    public var line: Int?
    /// What is wrong and what to do about it.
    public var message: String
    /// The text of the row's email column, when the row had one; a `--sync` leaves such an address on its network.
    public var email: String?

    /// A problem at `line`.
    public init(line: Int?, message: String, email: String? = nil) {
        self.line = line
        self.message = message
        self.email = email
    }

    /// `FILE:LINE: message`.
    public func formatted(file: String) -> String {
        guard let line else { return "\(file): \(message)" }
        return "\(file):\(line): \(message)"
    }

    public var description: String { line.map { "line \($0): \(message)" } ?? message }
}

/// A member CSV file that cannot be imported: every problem, each with its line. Nothing was changed.
public struct MemberImportError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var problems: [ImportProblem]

    /// The problems of `file`.
    public init(file: String, problems: [ImportProblem]) {
        self.file = file
        self.problems = problems
    }

    /// One line per problem, `FILE:LINE: what is wrong, and what to do`.
    public var description: String {
        problems.map { $0.formatted(file: file) }.joined(separator: "\n")
    }
}
