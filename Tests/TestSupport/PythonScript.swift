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
        let output = try folder.write("", to: "output.json")
        let errors = try folder.write("", to: "errors.txt")
        // Output goes to files, not pipes, so that a large answer cannot fill a pipe and stall both sides.
        let outputHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        let errorHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: errors))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [Repository.path(script), inputFile]
        process.standardOutput = outputHandle
        process.standardError = errorHandle
        try process.run()
        process.waitUntilExit()
        try outputHandle.close()
        try errorHandle.close()
        guard process.terminationStatus == 0 else {
            let text = (try? String(contentsOfFile: errors, encoding: .utf8)) ?? ""
            throw Failure(description: "\(script) exited with \(process.terminationStatus): \(text)")
        }
        return try JSONDecoder().decode(Output.self, from: Data(contentsOf: URL(fileURLWithPath: output)))
    }
}
