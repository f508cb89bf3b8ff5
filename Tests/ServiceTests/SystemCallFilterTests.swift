import Foundation
import Testing
import TestSupport
@testable import TiedotinCore

/// The unit's own system-call filter applied to the real binary (systemd-analyze expands the
/// groups, libseccomp applies them with the unit's default action): the service starts, sends,
/// reloads and stops under it.
@Suite(.serialized) struct SystemCallFilterTests {
    static let unit = Repository.path("systemd/tiedotin.service")
    static let launcher = ["/usr/bin/python3", Repository.path("Tests/ServiceTests/apply_syscall_filter.py")]

    static func wrapper(_ unit: String) -> [String] { launcher + [unit, "--"] }

    @Test("the filter is really applied: the old unit's filter (no @resources, kill) kills even --help with SIGSYS")
    func oldFilterKills() async throws {
        let folder = TemporaryFolder("seccomp")
        let unit = try String(contentsOfFile: Self.unit, encoding: .utf8)
            .replacingOccurrences(of: "SystemCallFilter=~@privileged\n", with: "SystemCallFilter=~@privileged @resources\n")
            .replacingOccurrences(of: "SystemCallErrorNumber=EPERM\n", with: "")
        let old = try folder.write(unit, to: "old.service")
        let run = try await TiedotinChild.run(["--help"], wrapper: Self.wrapper(old), folder: folder)
        #expect(run.status == 128 + SIGSYS, "\(run.errors)")
    }

    @Test("under the unit's filter the binary starts, sends, answers on the unsubscribe endpoint, reads both Maildirs, reloads and stops with exit 0")
    func serveUnderTheFilter() async throws {
        let folder = TemporaryFolder("seccomp")
        let help = try await TiedotinChild.run(["--help"], wrapper: Self.wrapper(Self.unit), folder: folder)
        #expect(help.status == 0, "\(help.errors)")

        try await withSMTPTestServer { server in
            let fixture = try ServiceFixture(mail: ServiceFixture.smtp(server, connections: 2), members: 4)
            // Every job on: the endpoint (NIO's threads and epoll) and the Maildir readers run under the filter too.
            let port = try freeLoopbackPort()
            let unsubscribe = fixture.folder.appending("unsubscribe-maildir"), bounces = fixture.folder.appending("bounces-maildir")
            for maildir in [unsubscribe, bounces] {
                for sub in ["new", "cur", "tmp"] {
                    try FileManager.default.createDirectory(atPath: maildir + "/" + sub, withIntermediateDirectories: true)
                }
            }
            try fixture.rewrite(
                mail: ServiceFixture.smtp(server, connections: 2) + """

                  bounces:
                    address: bounces@pohde.example.fi
                    mailbox: \(bounces)
                """,
                extra: """
                newsletter:
                  unsubscribe:
                    mailto: unsubscribe@pohde.example.fi
                    url: http://127.0.0.1:\(port)/tiedotin/unsubscribe
                    listen: 127.0.0.1:\(port)
                    mailbox: \(unsubscribe)
                """)
            let notify = try NotifyListener(folder: fixture.folder)
            let serve = try TiedotinChild(
                ["serve", "--config", fixture.configFile], wrapper: Self.wrapper(Self.unit),
                environment: ["NOTIFY_SOCKET": notify.address, "WATCHDOG_USEC": "2000000"], folder: fixture.folder)
            let ready = try await notify.waitFor("READY=1") { $0.contains("READY=1") }

            let announce = try await TiedotinChild.run(try fixture.announce("Aamukahvit tammikuussa", wait: false), folder: fixture.folder)
            #expect(announce.output.contains("the running service sends them"), "\(announce.output)")
            _ = try await server.waitForMessages(count: 4)
            let page = try ChildProcess.run("/usr/bin/curl", [
                "-s", "-o", "/dev/null", "-w", "%{http_code}", "--retry", "10", "--retry-connrefused", "--retry-delay", "1",
                "http://127.0.0.1:\(port)/tiedotin/unsubscribe?token=abc"])
            #expect(page.output == "400", "the endpoint answered under the filter: \(page.output) \(page.errors)")
            try await notify.waitFor(after: ready.index, "a watchdog ping") { $0 == "WATCHDOG=1" }

            let before = notify.messages.count
            kill(serve.pid, SIGHUP)
            let reloading = try await notify.waitFor(after: before, "RELOADING=1") { $0.hasPrefix("RELOADING=1") }
            try await notify.waitFor(after: reloading.index, "READY=1 after the reload") { $0.contains("READY=1") }

            kill(serve.pid, SIGTERM)
            #expect(await serve.exitStatus() == 0, "\(serve.errors)")
            #expect(try fixture.outbox.counts().sent == 4)
            #expect(!serve.errors.contains("results journal"), "the results journal works under the unit: \(serve.errors)")
        }
    }
}

/// The unit as `systemd-analyze security` rates it.
@Suite struct UnitExposureTests {
    @Test("systemd-analyze security --offline=true rates the unit's exposure 1.5 or less")
    func exposure() async throws {
        let text = try ChildProcess.run(
            "/usr/bin/systemd-analyze", ["security", "--offline=true", "--no-pager", SystemCallFilterTests.unit]).output
        let line = try #require(text.split(separator: "\n").first { $0.contains("Overall exposure level") })
        let figure = try #require(line.split(separator: ":").last?.split(separator: " ").first.flatMap { Double($0) })
        print("unit exposure: \(figure)")
        #expect(figure <= 1.5, "\(line)")
    }
}
