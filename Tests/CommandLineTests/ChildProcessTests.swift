import Foundation
import Testing
import TestSupport

/// The tests' one process runner: a child that writes more than a pipe holds to either stream,
/// in either order, finishes and every byte arrives.
@Suite struct ChildProcessTests {
    @Test(arguments: ["head -c 300000 /dev/zero | tr '\\\\0' e >&2; echo done", "echo done; head -c 300000 /dev/zero | tr '\\\\0' e >&2"])
    func muchOnStandardErrorDoesNotStallTheChild(script: String) throws {
        let result = try ChildProcess.run("/bin/sh", ["-c", script])
        #expect(result.status == 0)
        #expect(result.output == "done\n")
        #expect(result.errors.utf8.count == 300_000)
    }

    @Test func muchOnBothStreamsAtOnce() async throws {
        let result = try await ChildProcess.runAsync("/bin/sh", ["-c", "head -c 200000 /dev/zero >&2 & head -c 200000 /dev/zero; wait"])
        #expect(result.output.utf8.count == 200_000)
        #expect(result.errors.utf8.count == 200_000)
    }
}
