import Foundation
import Synchronization

/// The one way the tests run another program (the built `tiedotin`, the Python test tools, the
/// SMTP server, openssl, curl): standard input empty, standard output and standard error each
/// drained by a thread of its own from the start, so a child that writes much to either never
/// stalls on a full pipe, whichever the test reads first.
public final class ChildProcess: @unchecked Sendable {
    /// What a finished child left.
    public struct Result: Sendable {
        public var status: Int32
        /// Whether it ended by `exit` (else a signal, `status` then being the signal's number).
        public var exitedNormally: Bool
        public var output: String
        public var errors: String
    }

    private let process = Process()
    private let standardOutput = DrainedStream()
    private let standardError = DrainedStream()
    private let exited = DispatchSemaphore(value: 0)
    private let exitSeen = Mutex(false)

    /// Starts `executable` with `arguments`; `environment` replaces the test's own when given.
    public init(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        let output = Pipe(), errors = Pipe()
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = output
        process.standardError = errors
        process.terminationHandler = { [exited] _ in exited.signal() }
        try process.run()
        standardOutput.drain(output.fileHandleForReading)
        standardError.drain(errors.fileHandleForReading)
    }

    /// Runs a program to its end.
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws -> Result {
        try ChildProcess(executable, arguments, environment: environment).wait()
    }

    /// Runs a program to its end without blocking a thread of the cooperative pool.
    public static func runAsync(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) async throws -> Result {
        let child = try ChildProcess(executable, arguments, environment: environment)
        return await child.result()
    }

    public var processIdentifier: Int32 { process.processIdentifier }
    public var isRunning: Bool { process.isRunning }

    /// Sends SIGTERM.
    public func terminate() {
        process.terminate()
    }

    /// Sends `signal`.
    public func send(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// Blocks until the child has exited and both its streams have ended.
    public func wait() -> Result {
        waitForExit()
        return Result(
            status: process.terminationStatus, exitedNormally: process.terminationReason == .exit,
            output: standardOutput.finishedText(), errors: standardError.finishedText())
    }

    /// `wait()` on a thread of its own.
    public func result() async -> Result {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: self.wait()) }.start()
        }
    }

    /// Waits at most `timeout` for the child to exit; whether it did.
    public func exit(within timeout: Duration) async -> Bool {
        await withCheckedContinuation { continuation in
            Thread {
                let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
                let done = self.exitSeen.withLock { $0 } || self.exited.wait(timeout: .now() + seconds) == .success
                if done { self.markExited() }
                continuation.resume(returning: done)
            }.start()
        }
    }

    /// The first line of standard output (without its newline), once it is there; nil when the
    /// stream ends first.
    public func firstLine() async -> String? {
        await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: self.standardOutput.firstLine()) }.start()
        }
    }

    /// Standard error as far as it has come.
    public var errorsSoFar: String { standardError.textSoFar() }

    private func waitForExit() {
        guard !exitSeen.withLock({ $0 }) else { return }
        exited.wait()
        markExited()
    }

    private func markExited() {
        exitSeen.withLock { $0 = true }
        // The handler's signal was taken by this wait; later waits see the flag.
    }
}

/// One output stream of a child, read to its end by a thread of its own.
private final class DrainedStream: @unchecked Sendable {
    private let condition = NSCondition()
    private var data = Data()
    private var ended = false

    func drain(_ handle: FileHandle) {
        Thread { [self] in
            while true {
                let chunk = handle.availableData
                condition.lock()
                if chunk.isEmpty { ended = true } else { data.append(chunk) }
                condition.broadcast()
                condition.unlock()
                if chunk.isEmpty { break }
            }
        }.start()
    }

    func finishedText() -> String {
        condition.lock()
        defer { condition.unlock() }
        while !ended { condition.wait() }
        return String(decoding: data, as: UTF8.self)
    }

    func textSoFar() -> String {
        condition.lock()
        defer { condition.unlock() }
        return String(decoding: data, as: UTF8.self)
    }

    func firstLine() -> String? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let newline = data.firstIndex(of: UInt8(ascii: "\n")) {
                return String(decoding: data[..<newline], as: UTF8.self)
            }
            if ended { return nil }
            condition.wait()
        }
    }
}
