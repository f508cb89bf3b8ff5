import Foundation
import Testing
import TestSupport
@testable import TiedotinCore

/// `tiedotin check-config`, run as the admin runs it: the built binary in a child process.
@Suite("tiedotin check-config")
struct CheckConfigCommandTests {
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> TiedotinBinary.Run {
        try TiedotinBinary.run(arguments, environment: environment)
    }

    static let password = "Kahvi-Salasana-2027!"

    /// A config in `folder` that sends by SMTP with a password read from `password_file`.
    static func smtpConfig(
        in folder: TemporaryFolder, passwordFile: String = "smtp-password", url: String = "smtp://mail.example.fi:587"
    ) throws -> String {
        try folder.write("""
            organisation:
              name: Pohjois-Pohjanmaan hyvinvointialue
            paths:
              database: tiedotin.sqlite
              drop_folder: drop
              templates: \(repositoryRoot)/Templates
              archive: archive
            mail:
              from: "Pohden järjestötyö <jarjestotyo@pohde.example.fi>"
              smtp:
                url: \(url)
                username: tiedotin
                password_file: \(passwordFile)
            networks:
              - id: jyry
                name: Järjestöyhteistyöryhmä JYRY
                kind: forum
              - id: ikaihmiset
                name: Ikäihmisten palvelujen järjestöverkosto
                kind: service-area
            forums:
              - id: jyry
                name: Järjestöyhteistyöryhmä JYRY
                invitees: [jyry]
                meetings:
                  - id: jyry-2027-02
                    start: 2027-02-10T13:00

            """, to: "tiedotin.yaml")
    }

    @Test("a valid config prints a summary and exits 0, and the SMTP password appears nowhere")
    func validConfig() throws {
        let folder = TemporaryFolder()
        let config = try Self.smtpConfig(in: folder)
        try folder.write(Self.password + "\n", to: "smtp-password")
        let run = try Self.run(["check-config", "--config", config])
        #expect(run.status == 0, "stderr: \(run.errors)")
        #expect(run.output.contains("\(config): valid"))
        #expect(run.output.contains("networks: 2 (jyry, ikaihmiset)"))
        #expect(run.output.contains("forums: 1, 1 listed meetings"))
        #expect(run.output.contains("transport: smtp to smtp://mail.example.fi:587 (STARTTLS required, password login as tiedotin)"))
        #expect(!run.output.contains(Self.password))
        #expect(!run.errors.contains(Self.password))
    }

    @Test("TIEDOTIN_CONFIG names the file when --config is not given; the credential folder's password is not printed either")
    func environment() throws {
        let folder = TemporaryFolder()
        let config = try Self.smtpConfig(in: folder, passwordFile: "missing-password")
        let credentials = try folder.folder("credentials")
        try folder.write(Self.password, to: "credentials/smtp-password")
        let run = try Self.run(["check-config"], environment: ["TIEDOTIN_CONFIG": config, "CREDENTIALS_DIRECTORY": credentials])
        #expect(run.status == 0, "stderr: \(run.errors)")
        #expect(!(run.output + run.errors).contains(Self.password))
    }

    @Test("an unreadable SMTP password is a problem naming the file, exit 1")
    func missingPassword() throws {
        let folder = TemporaryFolder()
        let config = try Self.smtpConfig(in: folder)
        let run = try Self.run(["check-config", "--config", config])
        #expect(run.status == 1)
        #expect(run.output.isEmpty)
        #expect(run.errors.hasPrefix(
            "\(config):13:5: mail.smtp.password_file: the SMTP password file \(folder.path)/smtp-password does not exist;"))
    }

    @Test("every problem of every stage goes to standard error as FILE:LINE:COLUMN: KEY: message, exit 1")
    func problems() throws {
        let folder = TemporaryFolder()
        try folder.folder("templates")
        let config = try folder.write("""
            organisation:
              name: Pohjois-Pohjanmaan hyvinvointialue
              timezone: Europe/Helsinky
            paths:
              database: tiedotin.sqlite
              drop_folder: drop
              templates: templates
              archive: archive
            mail:
              from: jarjestotyo@pohde.example.fi
              transport: maildir
              maildir: maildir
              rate:
                per_minut: 30
            networks:
              - id: jyry
                name: Järjestöyhteistyöryhmä JYRY

            """, to: "tiedotin.yaml")
        let run = try Self.run(["check-config", "--config", config])
        #expect(run.status == 1)
        #expect(run.output.isEmpty)
        #expect(run.errors.split(separator: "\n") == [
            "\(config):3:13: organisation.timezone: \"Europe/Helsinky\" is not an IANA time-zone name; did you mean Europe/Helsinki? write a name such as timezone: Europe/Helsinki",
            "\(config):14:5: mail.rate.per_minut: \"per_minut\" is not a key tiedotin knows in mail.rate; did you mean per_minute?",
        ] + TemplateLibrary.required.map { name in
            // The templates stage runs although the keys have problems, and names the key's line.
            "\(config):7:3: paths.templates: the template \(folder.path)/templates/\(name).mustache does not exist; put the templates there or point paths.templates at them"
        })
    }

    @Test("a missing config file: exit 1 naming the path")
    func missingConfig() throws {
        let folder = TemporaryFolder()
        let run = try Self.run(["check-config", "--config", folder.path + "/tiedotin.yaml"])
        #expect(run.status == 1)
        #expect(run.errors.hasPrefix("\(folder.path)/tiedotin.yaml: the config file does not exist;"))
    }

    @Test("--online tries to log in to the relay; a relay that cannot be reached is exit 1 with what to fix")
    func onlineUnreachable() throws {
        let folder = TemporaryFolder()
        // Port 9 on loopback: nothing listens there, so the connection is refused at once.
        let config = try Self.smtpConfig(in: folder, url: "smtp://127.0.0.1:9")
        try folder.write(Self.password, to: "smtp-password")
        let run = try Self.run(["check-config", "--online", "--config", config])
        #expect(run.status == 1)
        #expect(run.output.contains("\(config): valid"))
        #expect(run.errors.contains("online: cannot connect to the relay smtp://127.0.0.1:9"))
        #expect(!(run.output + run.errors).contains(Self.password))
    }

    @Test("a template that does not parse is reported with its file and line, exit 1")
    func brokenTemplate() throws {
        let folder = TemporaryFolder()
        let templates = try folder.folder("templates")
        for name in ["notice.html", "notice.txt"] {
            try FileManager.default.copyItem(
                atPath: repositoryRoot + "/Templates/\(name).mustache", toPath: templates + "/\(name).mustache")
        }
        try folder.write("{{organisation}}\n\n{{#footer}}\n{{content}}\n", to: "templates/notice.txt.mustache")
        let config = try folder.write("""
            organisation:
              name: Pohjois-Pohjanmaan hyvinvointialue
            paths:
              database: tiedotin.sqlite
              drop_folder: drop
              templates: templates
            mail:
              from: jarjestotyo@pohde.example.fi
              transport: maildir
              maildir: maildir
            networks:
              - id: jyry
                name: Järjestöyhteistyöryhmä JYRY

            """, to: "tiedotin.yaml")
        let run = try Self.run(["check-config", "--config", config])
        #expect(run.status == 1)
        #expect(run.errors.hasPrefix("\(templates)/notice.txt.mustache:"), "stderr: \(run.errors)")
    }
}

/// `check-config` on a config broken in every stage at once: keys, a duplicate key, paths,
/// secrets and templates, every problem with its line, in one run.
@Suite("tiedotin check-config, every stage at once")
struct CheckConfigEveryStageTests {
    @Test("a config broken in every stage lists every problem with FILE:LINE:COLUMN: KEY")
    func everyStage() throws {
        let folder = TemporaryFolder()
        try folder.folder("templates")
        for name in TemplateLibrary.required {
            try FileManager.default.copyItem(
                atPath: repositoryRoot + "/Templates/\(name).mustache", toPath: folder.appending("templates/\(name).mustache"))
        }
        try FileManager.default.removeItem(atPath: folder.appending("templates/notice.html.mustache"))
        try folder.write("Hei {{#jasen}} {{nimi}}\n", to: "templates/notice.html.mustache")
        try folder.write("", to: "not-a-folder")
        let config = try folder.write("""
            organisation:
              name: Pohjois-Pohjanmaan hyvinvointialue
              timezone: Europe/Helsinky
            paths:
              database: tiedotin.sqlite
              drop_folder: not-a-folder/drop
              templates: templates
            mail:
              from: jarjestotyo@pohde.example.fi
              smtp:
                url: smtp://mail.example.fi:587
                username: tiedotin
                password_file: missing-password
              rate:
                per_minute: 30
                per_minute: 60
            networks:
              - id: jyry
                name: Järjestöyhteistyöryhmä JYRY
                knd: forum

            """, to: "tiedotin.yaml")
        let run = try TiedotinBinary.run(["check-config", "--config", config])
        #expect(run.status == 1)
        #expect(run.output.isEmpty)
        let lines = run.errors.split(separator: "\n").map(String.init)
        let expected: [(String, String)] = [
            ("\(config):3:13: organisation.timezone:", "keys"),
            ("\(config):6:16: paths.drop_folder:", "paths"),
            ("\(config):16:5: mail.rate.per_minute: per_minute is given a second time in mail.rate (first on line 15)", "a duplicate key"),
            ("\(config):20:5: networks[0].knd:", "keys after the duplicate"),
            ("\(config):13:5: mail.smtp.password_file: the SMTP password file \(folder.path)/missing-password does not exist", "secrets"),
            ("\(folder.path)/templates/notice.html.mustache:2:1: notice.html: the template does not parse", "templates"),
        ]
        for (prefix, stage) in expected {
            #expect(lines.contains { $0.hasPrefix(prefix) }, "\(stage): no line starting \(prefix) in \(lines)")
        }
        #expect(lines.count == expected.count, "\(lines)")
    }
}
