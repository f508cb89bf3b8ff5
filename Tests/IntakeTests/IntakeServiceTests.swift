import Foundation
import Logging
import TestSupport
import Testing
@testable import TiedotinCore

/// The intake service in process: woken by inotify, it keeps watching even when `incoming/`
/// is replaced under it (the slow backstop pass is an hour away here, so only the watch can do it).
@Suite struct IntakeServiceTests {
    @Test func theServiceFollowsAnIncomingFolderThatWasReplaced() async throws {
        let fixture = try IntakeFixture(settle: "0s")
        var logger = Logger(label: "intake-service-test")
        logger.logLevel = .critical
        let service = IntakeService(intake: fixture.intake, logger: logger, backstop: .seconds(3600))
        let running = Task { try await service.run() }
        defer { running.cancel() }

        try fixture.drop(IntakeFixture.item(body: "Ensimmäinen"), as: "eka.md")
        #expect(await appears(fixture.accepted + "/eka.md"))

        try FileManager.default.moveItem(atPath: fixture.incoming, toPath: fixture.drop + "/vanha-incoming")
        try FileManager.default.createDirectory(atPath: fixture.incoming, withIntermediateDirectories: true)
        try fixture.drop(IntakeFixture.item(body: "Toinen"), as: "toka.md")
        #expect(await appears(fixture.accepted + "/toka.md"))
        running.cancel()
        _ = try? await running.value
    }

    /// Polls for `path` every 20 ms, up to 20 s (the outcome, not a fixed sleep).
    func appears(_ path: String) async -> Bool {
        for _ in 0..<1000 {
            if FileManager.default.fileExists(atPath: path) { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return false
    }
}
