import Foundation
import Testing
import TestSupport
@testable import TiedotinCore

/// A config with only the required keys: valid, and it delivers to the local MTA on
/// localhost:25, as Unix mail programs do.
@Suite struct MinimalConfigTests {
    static let required = """
        organisation:
          name: Pohjois-Pohjanmaan hyvinvointialue
        paths:
          database: tiedotin.sqlite
          drop_folder: drop
        mail:
          from: jarjestotyo@pohde.example.fi
        networks:
          - id: jyry
            name: Järjestöyhteistyöryhmä JYRY

        """

    @Test("the required keys only are a valid config: keys and secrets pass, the relay is smtp://localhost:25 without TLS or login")
    func requiredKeysPass() async throws {
        let folder = TemporaryFolder("minimal")
        let config = try folder.write(Self.required, to: "tiedotin.yaml")
        // The templates folder defaults to where `make install` puts them, which a test machine lacks.
        let loaded = try ConfigurationLoader.load(path: config, checkingFileSystem: false)
        #expect(loaded.mail.smtp.url.absoluteString == "smtp://localhost:25")
        #expect(loaded.mail.smtp.startTLS == .off && loaded.mail.smtp.auth == .none)
        let secrets = await ConfigurationCheck.Stage.secrets.run(ConfigurationCheck.Input(
            file: config, configuration: loaded, locator: KeyLocator(file: config), baseDirectory: folder.path, environment: [:]))
        #expect(secrets.problems.isEmpty, "no password is needed without a username")
    }

    @Test("a config of the required keys only delivers to a relay on localhost:25",
          .enabled(if: getuid() == 0, "needs root for a network namespace of its own, where port 25 is free"))
    func deliversToLocalhost() async throws {
        let folder = TemporaryFolder("minimal")
        // The required keys, and the templates folder, which a test machine has in the repository.
        let minimal = try folder.write(
            Self.required.replacingOccurrences(of: "  drop_folder: drop\n", with: "  drop_folder: drop\n  templates: \(Repository.root)/Templates\n"),
            to: "tiedotin.yaml")
        let composing = minimal
        let body = try folder.write("Hyvät yhdyshenkilöt,\n\nJYRY kokoontuu 10.2.2027 klo 13.\n", to: "tiedote.md")
        for (email, name) in [("pia.kangas@example.fi", "Pia Kangas"), ("eero.kylmanen@example.fi", "Eero Kylmänen")] {
            let added = try await TiedotinChild.run(["members", "add", email, "--network", "jyry", "--name", name, "--config", minimal], folder: folder)
            #expect(added.status == 0, "\(added.errors)")
        }
        let queued = try await TiedotinChild.run(
            ["announce", "--network", "jyry", "--subject", "JYRYn kokous", "--body", body, "--config", composing], folder: folder)
        #expect(queued.status == 0, "\(queued.errors)")

        // The local MTA: aiosmtpd on 127.0.0.1:25 in a network namespace of its own, into a Maildir.
        let mailbox = folder.appending("mbox")
        let relay = Process()
        relay.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
        relay.arguments = ["--net", "--", "/bin/sh", "-c",
            "ip link set lo up && exec \(Repository.path(".venv/bin/python")) -m aiosmtpd -n -l 127.0.0.1:25 -c aiosmtpd.handlers.Mailbox \(mailbox)"]
        relay.standardOutput = FileHandle.nullDevice
        relay.standardError = FileHandle.nullDevice
        try relay.run()
        defer {
            relay.terminate()
            relay.waitUntilExit()
        }
        let namespace = ["/usr/bin/nsenter", "--net=/proc/\(relay.processIdentifier)/ns/net"]
        var listening = false
        for _ in 0..<100 where !listening {
            let probe = Process()
            probe.executableURL = URL(fileURLWithPath: namespace[0])
            probe.arguments = [namespace[1], "/bin/bash", "-c", "echo > /dev/tcp/127.0.0.1/25"]
            probe.standardError = FileHandle.nullDevice
            try probe.run()
            probe.waitUntilExit()
            listening = probe.terminationStatus == 0
            if !listening { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(listening)

        let serve = try await TiedotinChild.run(["serve", "--once", "--config", minimal], wrapper: namespace, folder: folder)
        #expect(serve.status == 0, "\(serve.errors)")
        // aiosmtpd's Mailbox handler keeps a Maildir.
        let files = (try? FileManager.default.contentsOfDirectory(atPath: mailbox + "/new")) ?? []
        #expect(files.count == 2)
        let delivered = try files.map { try String(contentsOfFile: mailbox + "/new/" + $0, encoding: .utf8) }.joined()
        #expect(delivered.contains("To: Pia Kangas <pia.kangas@example.fi>"), "\(delivered.prefix(400))")
        #expect(delivered.contains("eero.kylmanen@example.fi"))
    }
}
