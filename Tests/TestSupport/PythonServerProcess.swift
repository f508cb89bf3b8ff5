import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Starts one of the test servers written in Python (`smtp_server.py`, `token_server.py`) with the
/// project's `.venv` interpreter and waits for its `{"ready": true, "port": N}` line.
enum PythonServerProcess {
    static let python = URL(fileURLWithPath: Repository.path(".venv/bin/python"))

    /// Why a server did not come up.
    enum LaunchError: Error {
        case pythonMissing(path: String)
        case startFailed(status: Int32, output: String, standardError: String)
        case startTimedOut(timeout: Duration, standardError: String)
    }

    /// Runs `script OPTIONS_FILE`, its standard error going to `standardErrorFile`; returns the
    /// running process and the port it reported.
    static func launch(
        script: URL, optionsFile: URL, standardErrorFile: URL, timeout: Duration
    ) async throws(LaunchError) -> (Process, Int) {
        guard FileManager.default.isExecutableFile(atPath: python.path) else {
            throw .pythonMissing(path: python.path)
        }
        let standardOutput = Pipe()
        let process = Process()
        do {
            try Data().write(to: standardErrorFile)
            let standardError = try FileHandle(forWritingTo: standardErrorFile)
            defer { try? standardError.close() }
            process.executableURL = python
            process.arguments = [script.path, optionsFile.path]
            process.standardInput = FileHandle.nullDevice
            process.standardOutput = standardOutput
            process.standardError = standardError
            try process.run()
        } catch {
            throw .startFailed(status: -1, output: "", standardError: "\(error)")
        }

        let started = ContinuousClock.now
        let pid = process.processIdentifier
        let watchdog = Task {
            try await Task.sleep(for: timeout)
            kill(pid, SIGKILL)
        }
        let line = await readLine(from: standardOutput.fileHandleForReading)
        watchdog.cancel()

        if let line, let ready = try? JSONDecoder().decode(ReadyLine.self, from: Data(line.utf8)), ready.ready {
            return (process, ready.port)
        }
        if process.isRunning { kill(pid, SIGKILL) }
        process.waitUntilExit()
        let errorText = (try? String(contentsOf: standardErrorFile, encoding: .utf8)) ?? ""
        if line == nil && ContinuousClock.now - started >= timeout {
            throw .startTimedOut(timeout: timeout, standardError: errorText)
        }
        throw .startFailed(status: process.terminationStatus, output: line ?? "", standardError: errorText)
    }

    /// Reads up to the first newline on a thread of its own: the read blocks, and the
    /// cooperative pool must not. Nil at end of file (the process died first).
    private static func readLine(from handle: FileHandle) async -> String? {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                var buffer = Data()
                while true {
                    let chunk = handle.availableData
                    if chunk.isEmpty {
                        continuation.resume(returning: nil)
                        return
                    }
                    buffer.append(chunk)
                    if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                        continuation.resume(returning: String(decoding: buffer[..<newline], as: UTF8.self))
                        return
                    }
                }
            }
        }
    }

    /// Stops `process` (SIGTERM, then SIGKILL after 5 s) and waits until it is gone.
    static func stop(_ process: Process) async {
        if process.isRunning { process.terminate() }
        let deadline = ContinuousClock.now + .seconds(5)
        while process.isRunning && ContinuousClock.now < deadline {
            do {
                try await Task.sleep(for: .milliseconds(5))
            } catch {
                break
            }
        }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    private struct ReadyLine: Decodable {
        var ready: Bool
        var port: Int
    }
}
