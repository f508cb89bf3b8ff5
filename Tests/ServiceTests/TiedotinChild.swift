import Foundation
import TestSupport

/// A `tiedotin` child for the service tests, through the one process runner (`ChildProcess`,
/// which drains both streams so the child never stalls), optionally behind a wrapper command
/// (`setpriv`, `nsenter`, the seccomp launcher) and with a clean environment.
final class TiedotinChild: Sendable {
    let child: ChildProcess

    init(_ arguments: [String], wrapper: [String] = [], environment: [String: String] = [:], folder: TemporaryFolder) throws {
        let binary = try TiedotinBinary.path()
        let command = wrapper + [binary] + arguments
        child = try ChildProcess(
            command[0], Array(command.dropFirst()),
            environment: ["PATH": "/usr/bin:/bin:/usr/sbin:/sbin", "LANG": "C.UTF-8"].merging(environment) { $1 })
    }

    var pid: Int32 { child.processIdentifier }
    /// Standard error as far as it has come (all of it once the child has exited).
    var errors: String { child.errorsSoFar }

    /// Waits for the exit and returns the status (signals as 128 + N).
    func exitStatus() async -> Int32 {
        let result = await child.result()
        return result.exitedNormally ? result.status : 128 + result.status
    }

    /// Runs to the end.
    static func run(
        _ arguments: [String], wrapper: [String] = [], environment: [String: String] = [:], folder: TemporaryFolder
    ) async throws -> (status: Int32, output: String, errors: String) {
        let running = try TiedotinChild(arguments, wrapper: wrapper, environment: environment, folder: folder)
        // Kept alive until the end: its deinit kills a child still running.
        let result = await running.child.result()
        withExtendedLifetime(running) {}
        return (result.exitedNormally ? result.status : 128 + result.status, result.output, result.errors)
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
        if child.isRunning {
            child.send(SIGKILL)
            _ = child.wait()
        }
    }
}
