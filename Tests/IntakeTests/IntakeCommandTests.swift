import Foundation
import TestSupport
import Testing
@testable import TiedotinCore

/// The drop folder through the built binary, as an admin and the service use it.
@Suite struct IntakeCommandTests {
    func run(_ fixture: IntakeFixture, _ arguments: [String]) throws -> TiedotinBinary.Run {
        try TiedotinBinary.run(arguments + ["--config", fixture.configuration.file])
    }

    @Test func intakeSortsAFolderOfOrdinaryAndHostileFiles() throws {
        let fixture = try IntakeFixture(settle: "0s", maxItemSize: "4KiB")
        for name in ["vapaaehtoisten-perehdytys.md", "hyvat-kaytannot-webinaari.md"] {
            let example = try String(contentsOfFile: Repository.path("Config/items/\(name)"), encoding: .utf8)
            try fixture.drop(example.replacingOccurrences(of: "section: koulutukset", with: "section: ajankohtaista"), as: name)
        }
        try fixture.drop(IntakeFixture.item(section: "urheilu"), as: "vaara osio.md")
        try fixture.drop("<script>alert(1)</script>\n", as: "skripti.html")
        try fixture.drop([0xFF, 0xFE, 0x2D, 0x00], as: "utf16.md")
        try fixture.drop(String(repeating: "x", count: 5000), as: "iso.md")
        try fixture.drop(IntakeFixture.item(), as: "kesken.md.part")
        try FileManager.default.createSymbolicLink(atPath: fixture.incoming + "/passwd.md", withDestinationPath: "/etc/passwd")
        try fixture.drop(IntakeFixture.item(title: "Rivi\nvaihto"), as: "nimi\nrivinvaihdolla.md")

        let run = try run(fixture, ["intake"])
        #expect(run.status == 0, "\(run.errors)")
        #expect(run.output.hasPrefix("accepted 2, rejected 6, not settled yet 0"), "\(run.output)")
        #expect(run.output.contains("accepted/vapaaehtoisten-perehdytys.md"))
        #expect(run.output.contains("rejected/passwd.md (see rejected/passwd.md.error.txt)"))
        #expect(fixture.names(in: fixture.incoming) == ["kesken.md.part"])
        #expect(fixture.names(in: fixture.accepted) == ["hyvat-kaytannot-webinaari.md", "vapaaehtoisten-perehdytys.md"])
        #expect(fixture.names(in: fixture.rejected).count == 12)
        #expect(try fixture.errorText("utf16.md").contains("UTF-8"))
        #expect(try fixture.errorText("iso.md").contains("liian suuri"))
        #expect(try fixture.errorText("skripti.html").contains("Rivi 1: tiedosto ei ala tietolohkolla"))
        #expect(try fixture.errorText("vaara osio.md").contains("Rivi 5: osiota urheilu ei ole uutiskirjeessä"))
        #expect(try fixture.items().map(\.title).sorted() == [
            "Järjestöyhteistyö sote-palveluissa – hyvät käytännöt -webinaari", "Vapaaehtoistoiminnan perehdytys",
        ])
        // The admin's log names every rejection on one line each.
        #expect(run.errors.contains("rejected a newsletter item"))
    }

    @Test func filesStillBeingWrittenAreLeftAndCounted() throws {
        let fixture = try IntakeFixture(settle: "1h")
        try fixture.drop(IntakeFixture.item(), as: "perehdytys.md")
        try fixture.drop(IntakeFixture.item(section: "urheilu"), as: "toinen.md")
        let run = try run(fixture, ["intake"])
        #expect(run.status == 0, "\(run.errors)")
        #expect(run.output.contains("accepted 0, rejected 0, not settled yet 2"))
        #expect(run.output.contains("2 file(s) changed less than 1h ago; run again later"))
        #expect(fixture.names(in: fixture.incoming) == ["perehdytys.md", "toinen.md"])
    }

    @Test func twoIntakeCommandsAtOnceTakeEachFileOnce() throws {
        let fixture = try IntakeFixture(settle: "0s")
        for number in 1...60 {
            try fixture.drop(IntakeFixture.item(section: number % 5 == 0 ? "urheilu" : "koulutukset", body: "Tiedote \(number)"), as: "tiedote-\(number).md")
        }
        let processes = try (0..<2).map { _ in
            try TiedotinBinary.start(["intake", "--config", fixture.configuration.file])
        }
        for process in processes {
            #expect(process.wait().status == 0)
        }
        #expect(fixture.names(in: fixture.incoming).isEmpty)
        #expect(fixture.names(in: fixture.accepted).count == 48)
        #expect(fixture.names(in: fixture.rejected).count == 24)
        #expect(try fixture.items().count == 48)
    }

    @Test func serveOnceTakesWhatHasSettled() throws {
        let fixture = try IntakeFixture(settle: "0s")
        try fixture.drop(IntakeFixture.item(), as: "perehdytys.md")
        let run = try run(fixture, ["serve", "--once"])
        #expect(run.status == 0, "\(run.errors)")
        #expect(fixture.names(in: fixture.accepted) == ["perehdytys.md"])
        #expect(try fixture.items().count == 1)
    }

    /// `tiedotin intake` with acknowledgements on wakes a running service so that they go at once,
    /// and the wake hurts nobody (it once was a SIGUSR1 that the service no longer handles).
    @Test func anIntakeCommandWakesARunningServiceWhichSendsTheAcknowledgementAndLives() throws {
        let fixture = try IntakeFixture(settle: "0s", acknowledge: true)
        // The service watches a drop folder of its own, so the file is the command's to take.
        let serviceYAML = IntakeFixture.yaml(language: "fi", settle: "0s", maxItemSize: "64KiB", acknowledge: true)
            .replacingOccurrences(of: "drop_folder: drop", with: "drop_folder: service-drop")
        let serviceConfig = try fixture.folder.write(serviceYAML, to: "service.yaml")
        try FileManager.default.createDirectory(atPath: fixture.folder.appending("service-drop/incoming"), withIntermediateDirectories: true)
        let service = try TiedotinBinary.start(["serve", "--config", serviceConfig])
        defer {
            if service.isRunning { service.terminate() }
        }
        #expect(waitFor(fixture.configuration.paths.wakeSocket, within: 30), "the service became ready")

        try fixture.drop(IntakeFixture.item(), as: "perehdytys.md")
        let intake = try TiedotinBinary.run(["intake", "--config", fixture.configuration.file])
        #expect(intake.status == 0, "\(intake.errors)")
        #expect(FileManager.default.fileExists(atPath: fixture.accepted + "/perehdytys.md"))

        // Woken, the service delivers the acknowledgement to the maildir; the wait is bounded.
        let maildir = fixture.folder.appending("maildir/new")
        let deadline = Date().addingTimeInterval(30)
        var delivered: [String] = []
        while delivered.isEmpty, Date() < deadline {
            delivered = (try? FileManager.default.contentsOfDirectory(atPath: maildir)) ?? []
            if delivered.isEmpty { usleep(50_000) }
        }
        #expect(delivered.count == 1)
        #expect(service.isRunning, "the wake must not end the service")
        service.terminate()
        let ended = service.wait()
        #expect(ended.status == 0 && ended.exitedNormally, "\(ended.errors)")
    }

    /// The running service notices a file dropped into `incoming/` (inotify) and handles it once
    /// it has settled: the test waits for the outcome to appear, up to a bound, then stops the service.
    @Test func theServiceTakesAFileDroppedWhileItRuns() throws {
        let fixture = try IntakeFixture(settle: "1s")
        let service = try TiedotinBinary.start(["serve", "--config", fixture.configuration.file])
        defer {
            if service.isRunning { service.terminate() }
        }
        try fixture.drop(IntakeFixture.item(), as: "perehdytys.md")
        try fixture.drop(IntakeFixture.item(section: "urheilu"), as: "urheilu.md")
        #expect(waitFor(fixture.accepted + "/perehdytys.md", within: 30))
        #expect(waitFor(fixture.rejected + "/urheilu.md", within: 30))
        #expect(FileManager.default.fileExists(atPath: fixture.rejected + "/urheilu.md.error.txt"))
        // A second file, written slowly in place: taken only after it stopped changing.
        let slow = fixture.incoming + "/hidas.md"
        let handle = try #require(FileHandle(forWritingAtPath: try fixture.drop("---\n", as: "hidas.md")))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("title: Hidas\norganisation: Oulun ensi- ja turvakoti ry\nsection: koulutukset\n---\nTeksti\n".utf8))
        try handle.close()
        #expect(waitFor(fixture.accepted + "/hidas.md", within: 30))
        #expect(!FileManager.default.fileExists(atPath: slow))
        #expect(try fixture.items().map(\.title) == ["Vapaaehtoistoiminnan perehdytys", "Hidas"])

        service.terminate()
        #expect(service.wait().status == 0)
    }

    /// Waits for `path` to exist, watching its folder with inotify (looking every 50 ms while the
    /// folder itself does not exist yet); false after `seconds`.
    func waitFor(_ path: String, within seconds: Int32) -> Bool {
        let folder = (path as NSString).deletingLastPathComponent
        let descriptor = inotify_init1(Int32(IN_CLOEXEC))
        defer { close(descriptor) }
        var watching = false
        let deadline = Date().addingTimeInterval(TimeInterval(seconds))
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !FileManager.default.fileExists(atPath: path) {
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { return false }
            if !watching { watching = inotify_add_watch(descriptor, folder, UInt32(IN_CREATE | IN_MOVED_TO)) >= 0 }
            if watching, FileManager.default.fileExists(atPath: path) { break }
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            if poll(&poller, 1, Int32(watching ? left * 1000 : min(left, 0.05) * 1000)) > 0 {
                _ = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            }
        }
        return true
    }
}
