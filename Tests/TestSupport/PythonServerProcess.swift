import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Starts one of the test servers written in Python (`smtp_server.py`, `token_server.py`) with the
/// project's `.venv` interpreter, through the one process runner (`ChildProcess`), and waits for
/// its `{"ready": true, "port": N}` line.
enum PythonServerProcess {
    static let python = URL(fileURLWithPath: Repository.path(".venv/bin/python"))

    /// Why a server did not come up.
    enum LaunchError: Error {
        case pythonMissing(path: String)
        case startFailed(status: Int32, output: String, standardError: String)
        case startTimedOut(timeout: Duration, standardError: String)
    }

    /// Runs `script OPTIONS_FILE`; returns the running process and the port it reported.
    static func launch(script: URL, optionsFile: URL, timeout: Duration) async throws(LaunchError) -> (ChildProcess, Int) {
        guard FileManager.default.isExecutableFile(atPath: python.path) else {
            throw .pythonMissing(path: python.path)
        }
        let process: ChildProcess
        do {
            process = try ChildProcess(python.path, [script.path, optionsFile.path])
        } catch {
            throw .startFailed(status: -1, output: "", standardError: "\(error)")
        }
        let started = ContinuousClock.now
        let watchdog = Task {
            try await Task.sleep(for: timeout)
            process.send(SIGKILL)
        }
        let line = await process.firstLine()
        watchdog.cancel()

        if let line, let ready = try? JSONDecoder().decode(ReadyLine.self, from: Data(line.utf8)), ready.ready {
            return (process, ready.port)
        }
        if process.isRunning { process.send(SIGKILL) }
        let result = await process.result()
        if line == nil && ContinuousClock.now - started >= timeout {
            throw .startTimedOut(timeout: timeout, standardError: result.errors)
        }
        throw .startFailed(status: result.status, output: line ?? "", standardError: result.errors)
    }

    /// Stops `process` (SIGTERM, then SIGKILL after 5 s) and waits until it is gone.
    static func stop(_ process: ChildProcess) async {
        process.terminate()
        if await !process.exit(within: .seconds(5)) { process.send(SIGKILL) }
        _ = await process.result()
    }

    private struct ReadyLine: Decodable {
        var ready: Bool
        var port: Int
    }
}
