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
        let process = try start(arguments, environment: environment)
        let outputData = (process.standardOutput as! Pipe).fileHandleForReading.readDataToEndOfFile()
        let errorData = (process.standardError as! Pipe).fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus, output: String(decoding: outputData, as: UTF8.self),
            errors: String(decoding: errorData, as: UTF8.self))
    }

    /// Starts `tiedotin ARGUMENTS` and returns at once; standard output and error are pipes.
    public static func start(_ arguments: [String], environment: [String: String] = [:]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try path())
        process.arguments = arguments
        process.environment = ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"].merging(environment) { $1 }
        process.standardOutput = Pipe()
        process.standardError = Pipe()
        try process.run()
        return process
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
