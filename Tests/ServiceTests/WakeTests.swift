import Foundation
import Testing
import TestSupport
@testable import TiedotinCore

/// A command that queued mail wakes a running service, and nothing else: no signal reaches a
/// process that does not handle it, and the lock file works for the service user whoever made it.
@Suite(.serialized) struct WakeTests {
    @Test("announce --wait through a slow relay, two more announces meanwhile: nobody killed, nothing twice, nothing left sending")
    func commandsRacingThroughASlowRelay() async throws {
        var options = SMTPTestServer.Options()
        options.delays = [.init(stage: .dataEnd, seconds: 0.4)]
        try await withSMTPTestServer(options) { server in
            let fixture = try ServiceFixture(mail: ServiceFixture.smtp(server), members: 6)
            let first = try TiedotinChild(try fixture.announce("Aamukahvit tammikuussa", wait: true), folder: fixture.folder)
            _ = try await server.waitForMessages(count: 1, timeout: .seconds(20))

            let second = try await TiedotinChild.run(try fixture.announce("JYRYn kokous 10.2.2027", wait: false), folder: fixture.folder)
            let third = try await TiedotinChild.run(try fixture.announce("Järjestöfoorumi maaliskuussa", wait: true), folder: fixture.folder)
            let firstStatus = await first.exitStatus()

            #expect(firstStatus == 0, "the first announce --wait was not killed: \(first.errors)")
            #expect(second.status == 0, "\(second.errors)")
            #expect(third.status == 0, "\(third.errors)")
            #expect(try fixture.outbox.counts().sending == 0)

            // Whatever the first left for a service goes out with the next pass, and nothing twice.
            #expect(try await TiedotinChild.run(["serve", "--once", "--config", fixture.configFile], folder: fixture.folder).status == 0)
            let messages = try server.messages()
            let pairs = try messages.map { message in
                let headers = try MessageInspector.inspect(message.data).headers
                let subject = try #require(headers["Subject"]?.first ?? headers["subject"]?.first)
                return "\(message.recipients.joined()) \(subject)"
            }
            #expect(pairs.count == 18, "three notices to six people")
            #expect(Set(pairs).count == pairs.count, "no message went twice")
            #expect(try fixture.outbox.counts().sent == 18)
        }
    }

    @Test("a wake reaches a listening service; with nobody listening, sending it fails quietly")
    func wakeSocket() async throws {
        let folder = TemporaryFolder("wake")
        let path = folder.appending("tiedotin.sqlite.wake")
        #expect(WakeSocket.wake(path) == false, "nobody listens yet")
        let woken = WakeSignal()
        let socket = try WakeSocket(path: path, database: folder.appending("tiedotin.sqlite")) { woken.signal() }
        #expect(WakeSocket.wake(path))
        await woken.wait(until: .distantFuture)
        var info = stat()
        #expect(stat(path, &info) == 0 && info.st_mode & 0o777 == 0o600)
        socket.close()
        #expect(!FileManager.default.fileExists(atPath: path), "a stopped service leaves no socket to wake")
        #expect(WakeSocket.wake(path) == false)
    }

    @Test("a lock file made by root belongs to the database's owner with mode 0600, and the service user can take it",
          .enabled(if: getuid() == 0, "needs root to run commands as two users"))
    func lockFileMadeByRoot() async throws {
        let fixture = try ServiceFixture(mail: "  transport: maildir\n  maildir: maildir")
        let nobody: uid_t = 65_534
        // The installation as tmpfiles would make it: the state folder, the database and the drop
        // folder are the service user's.
        for name in ["drop/incoming", "drop/accepted", "drop/rejected", "maildir", "archive"] {
            try FileManager.default.createDirectory(atPath: fixture.folder.appending(name), withIntermediateDirectories: true)
        }
        for name in ["", "/tiedotin.sqlite", "/tiedotin.sqlite-wal", "/tiedotin.sqlite-shm", "/drop", "/drop/incoming",
                     "/drop/accepted", "/drop/rejected", "/maildir", "/archive"]
        where FileManager.default.fileExists(atPath: fixture.folder.path + name) {
            #expect(chown(fixture.folder.path + name, nobody, nobody) == 0)
        }
        let lockFile = fixture.configuration.paths.lockFile
        #expect(!FileManager.default.fileExists(atPath: lockFile))

        let asRoot = try await TiedotinChild.run(["serve", "--once", "--config", fixture.configFile], folder: fixture.folder)
        #expect(asRoot.status == 0, "\(asRoot.errors)")
        var info = stat()
        #expect(stat(lockFile, &info) == 0)
        #expect(info.st_uid == nobody)
        #expect(info.st_mode & 0o777 == 0o600)
        // Intake's own lock beside it follows the same rule.
        var intake = stat()
        #expect(stat(fixture.configuration.paths.database + ".intake.lock", &intake) == 0)
        #expect(intake.st_uid == nobody && intake.st_mode & 0o777 == 0o600)

        let asService = try await TiedotinChild.run(
            ["serve", "--once", "--config", fixture.configFile],
            wrapper: ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"], folder: fixture.folder)
        #expect(asService.status == 0, "the service user takes the lock root made: \(asService.errors)")
    }
}
