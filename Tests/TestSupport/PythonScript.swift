import Foundation

/// Runs one of the tests' Python scripts with the project's `.venv` Python (`./scripts/setup.sh`
/// makes it) on an input file, and decodes the JSON it prints.
public enum PythonScript {
    /// Why the script could not give an answer.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Writes `input` to a file named `inputName`, runs `script` (a path inside the repository) on it
    /// and decodes its standard output as `Output`.
    public static func run<Output: Decodable>(
        _ script: String, on input: [UInt8], inputName: String, as type: Output.Type = Output.self
    ) throws -> Output {
        let python = Repository.path(".venv/bin/python")
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw Failure(description: "\(python) is missing; run ./scripts/setup.sh")
        }
        let folder = TemporaryFolder("python-script")
        let inputFile = folder.appending(inputName)
        try Data(input).write(to: URL(fileURLWithPath: inputFile))
        let result = try ChildProcess.run(python, [Repository.path(script), inputFile])
        guard result.status == 0 else {
            throw Failure(description: "\(script) exited with \(result.status): \(result.errors)")
        }
        return try JSONDecoder().decode(Output.self, from: Data(result.output.utf8))
    }
}
