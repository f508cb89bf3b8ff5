import Foundation
import TestSupport

/// HTTP requests with the `curl` command (installed by `scripts/setup.sh`), waited for without blocking
/// a thread of the test's concurrency pool (the server under test answers on that pool).
enum Curl {
    struct Answer: Sendable {
        var status: Int
        var body: String
        var headers: String
    }

    /// One request: `curl -s ARGUMENTS URL`.
    static func request(_ url: String, _ arguments: [String] = []) async throws -> Answer {
        let folder = TemporaryFolder("curl")
        let body = folder.appending("body"), headers = folder.appending("headers")
        let output = try await run(["-s", "-o", body, "-D", headers, "-w", "%{http_code}"] + arguments + [url])
        return Answer(
            status: Int(output) ?? 0, body: (try? String(contentsOfFile: body, encoding: .utf8)) ?? "",
            headers: (try? String(contentsOfFile: headers, encoding: .utf8)) ?? "")
    }

    /// The status codes of the same GET made `count` times in a row by one curl process.
    static func statuses(_ url: String, count: Int, _ arguments: [String] = []) async throws -> [Int] {
        var all = ["-s", "-w", "%{http_code}\\n"] + arguments
        for _ in 0..<count { all += ["-o", "/dev/null", url] }
        return try await run(all).split(separator: "\n").compactMap { Int($0) }
    }

    private static func run(_ arguments: [String]) async throws -> String {
        let folder = TemporaryFolder("curl-run")
        let outputFile = try folder.write("", to: "output")
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: outputFile))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = ["--max-time", "20"] + arguments
        process.standardOutput = handle
        process.standardError = FileHandle.nullDevice
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            process.terminationHandler = { _ in continuation.resume() }
            do {
                try process.run()
            } catch {
                continuation.resume()
            }
        }
        try handle.close()
        return try String(contentsOfFile: outputFile, encoding: .utf8)
    }
}
