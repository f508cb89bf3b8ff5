import Foundation
import Synchronization
import TestSupport

/// A `tiedotin` child whose standard output and error go to files (never a pipe that can fill
/// up and stall it), optionally behind a wrapper command (`setpriv`, `nsenter`, a seccomp launcher).
final class TiedotinChild: Sendable {
    let process: Process
    let outputFile: String
    let errorFile: String

    init(_ arguments: [String], wrapper: [String] = [], environment: [String: String] = [:], folder: TemporaryFolder) throws {
        let id = UUID().uuidString
        outputFile = folder.appending("child-\(id).out")
        errorFile = folder.appending("child-\(id).err")
        _ = FileManager.default.createFile(atPath: outputFile, contents: nil)
        _ = FileManager.default.createFile(atPath: errorFile, contents: nil)
        let process = Process()
        let binary = try TiedotinBinary.path()
        if let first = wrapper.first {
            process.executableURL = URL(fileURLWithPath: first)
            process.arguments = Array(wrapper.dropFirst()) + [binary] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = arguments
        }
        process.environment = ["PATH": "/usr/bin:/bin:/usr/sbin:/sbin", "LANG": "C.UTF-8"].merging(environment) { $1 }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outputFile))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errorFile))
        try process.run()
        self.process = process
    }

    var pid: Int32 { process.processIdentifier }
    var output: String { (try? String(contentsOfFile: outputFile, encoding: .utf8)) ?? "" }
    var errors: String { (try? String(contentsOfFile: errorFile, encoding: .utf8)) ?? "" }

    /// Waits for the exit on a thread of its own and returns the status (signals as 128 + N).
    func exitStatus() async -> Int32 {
        let process = self.process
        return await withCheckedContinuation { continuation in
            Thread {
                process.waitUntilExit()
                let status = process.terminationStatus
                continuation.resume(returning: process.terminationReason == .uncaughtSignal ? 128 + status : status)
            }.start()
        }
    }

    /// Runs to the end.
    static func run(
        _ arguments: [String], wrapper: [String] = [], environment: [String: String] = [:], folder: TemporaryFolder
    ) async throws -> (status: Int32, output: String, errors: String) {
        let child = try TiedotinChild(arguments, wrapper: wrapper, environment: environment, folder: folder)
        let status = await child.exitStatus()
        return (status, child.output, child.errors)
    }

    /// CPU time (user + system) the process has used, from /proc/PID/stat.
    func cpuSeconds() throws -> Double {
        let stat = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        // Fields after the command name (which is in parentheses and may hold spaces).
        let fields = stat[stat.index(after: stat.lastIndex(of: ")")!)...].split(separator: " ")
        let ticks = Double(fields[11])! + Double(fields[12])!
        return ticks / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}
