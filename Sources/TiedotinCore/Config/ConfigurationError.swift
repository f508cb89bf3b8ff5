import Foundation

/// Every problem found in one config file. Its text lists them one per line as
/// `FILE:LINE:COLUMN: KEY.PATH: what is wrong and what to write instead`.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var problems: [ConfigurationProblem]

    public init(file: String, problems: [ConfigurationProblem]) {
        self.file = file
        self.problems = problems
    }

    public var description: String {
        problems.map { $0.formatted(file: file) }.joined(separator: "\n")
    }
}

/// One problem in the config, with where it is.
public struct ConfigurationProblem: Sendable, Equatable {
    /// 1-based line, or nil when the problem is the file as a whole.
    public var line: Int?
    public var column: Int?
    /// Dotted key path such as `mail.rate.per_minute` or `forums[0].invitees[1]`.
    public var key: String
    public var message: String
    /// The file the problem is in when it is not the config itself (a template).
    public var file: String?

    public init(line: Int?, column: Int?, key: String, message: String, file: String? = nil) {
        self.line = line
        self.column = column
        self.key = key
        self.message = message
        self.file = file
    }

    /// `FILE:LINE:COLUMN: KEY: message` (`configFile` unless the problem names a file of its own).
    public func formatted(file configFile: String) -> String {
        var place = file ?? configFile
        if let line { place += ":\(line)" + (column.map { ":\($0)" } ?? "") }
        return key.isEmpty ? "\(place): \(message)" : "\(place): \(key): \(message)"
    }
}
