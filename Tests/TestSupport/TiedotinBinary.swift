import Foundation

/// The built `tiedotin` command, run as an admin runs it: in a child process.
public enum TiedotinBinary {
    /// What one finished run produced.
    public struct Run: Sendable {
        public var status: Int32
        public var output: String
        public var errors: String
    }

    /// The binary next to the test bundle, or in `.build/debug`.
    public static func path() throws -> String {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("tiedotin").path,
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("tiedotin").path,
            Repository.path(".build/debug/tiedotin"),
        ]
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw TiedotinBinaryError.notBuilt(candidates)
        }
        return found
    }

    /// Runs `tiedotin ARGUMENTS` to the end.
    public static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Run {
        let result = try start(arguments, environment: environment).wait()
        return Run(status: result.status, output: result.output, errors: result.errors)
    }

    /// Starts `tiedotin ARGUMENTS` and returns at once; its output and errors are drained meanwhile.
    public static func start(_ arguments: [String], environment: [String: String] = [:]) throws -> ChildProcess {
        try ChildProcess(
            try path(), arguments, environment: ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"].merging(environment) { $1 })
    }
}

/// Why the binary cannot be run.
public enum TiedotinBinaryError: Error, CustomStringConvertible {
    case notBuilt([String])

    public var description: String {
        switch self {
        case .notBuilt(let places): "build the tiedotin binary first (swift build --build-tests); looked in \(places)"
        }
    }
}
