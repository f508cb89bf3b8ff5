import Foundation
import Testing
import TestSupport
@testable import TiedotinCore

/// What the admin gets for every key left out, and how written values are read.
@Suite("Config defaults and value forms")
struct DefaultsTests {
    /// The required keys only, with `smtp` (lines indented by four spaces) as the `mail.smtp` section.
    func required(smtp: String? = nil, in folder: TemporaryFolder) throws -> Configuration {
        try load("""
            organisation:
              name: Pohjois-Pohjanmaan hyvinvointialue
            paths:
              database: /var/lib/tiedotin/tiedotin.sqlite
              drop_folder: /var/spool/tiedotin
            mail:
              from: jarjestotyo@pohde.example.fi
            \(smtp.map { "  smtp:\n" + $0 } ?? "")
            networks:
              - id: jyry
                name: Järjestöyhteistyöryhmä JYRY

            """, in: folder, checkingFileSystem: false)
    }

    @Test("required keys only: smtp://localhost:25, no STARTTLS to the loopback relay, no login")
    func minimal() throws {
        let configuration = try required(in: TemporaryFolder())
        #expect(configuration.mail.transport == .smtp)
        #expect(configuration.mail.smtp.url.absoluteString == "smtp://localhost:25")
        #expect(configuration.mail.smtp.startTLS == .off)
        #expect(configuration.mail.smtp.auth == .none)
        #expect(configuration.mail.smtp.username == nil)
    }

    @Test("STARTTLS defaults to off only for a loopback relay; auth to password only with a username")
    func relayDefaults() throws {
        let folder = TemporaryFolder()
        func smtp(_ lines: String) throws -> Configuration.SMTP {
            try required(smtp: lines, in: folder).mail.smtp
        }
        let remote = try smtp("    url: smtp://mail.example.fi:587")
        #expect(remote.startTLS == .required)
        #expect(remote.auth == .none)
        for loopback in ["smtp://127.0.0.1:2525", "smtp://[::1]:25", "smtp://localhost"] {
            #expect(try smtp("    url: \(loopback)").startTLS == .off, "\(loopback)")
        }
        let login = try smtp("    url: smtp://mail.example.fi:587\n    username: tiedotin")
        #expect(login.auth == .password)
        #expect(login.startTLS == .required)
        #expect(try smtp("    url: smtp://127.0.0.1:25\n    starttls: required").startTLS == .required)
    }

    @Test("a config with only the required keys gets the defaults of DESIGN.md")
    func defaults() throws {
        let folder = TemporaryFolder()
        let yaml = """
            organisation:
              name: Pohjois-Pohjanmaan hyvinvointialue
            paths:
              database: /var/lib/tiedotin/tiedotin.sqlite
              drop_folder: /var/spool/tiedotin
            mail:
              from: "Pohden järjestötyö <jarjestotyo@pohde.example.fi>"
              smtp:
                url: smtp://mail.example.fi:587
                username: tiedotin
            networks:
              - id: jyry
                name: Järjestöyhteistyöryhmä JYRY
            forums:
              - id: jyry
                name: Järjestöyhteistyöryhmä JYRY
                invitees: [jyry]
                meetings:
                  - start: 2027-02-10T13:00

            """
        let configuration = try load(yaml, in: folder, checkingFileSystem: false)
        #expect(configuration.organisation.timeZone.identifier == "Europe/Helsinki")
        #expect(configuration.organisation.language == .finnish)
        #expect(configuration.paths.templates == "/usr/share/tiedotin/templates")
        #expect(configuration.paths.archive == "/var/lib/tiedotin/archive")
        #expect(configuration.paths.lockFile == "/var/lib/tiedotin/tiedotin.sqlite.lock")

        let mail = configuration.mail
        #expect(mail.replyTo == nil)
        #expect(mail.transport == .smtp)
        #expect(mail.maildir == "/var/lib/tiedotin/maildir")
        #expect(mail.smtp.startTLS == .required)
        #expect(mail.smtp.auth == .password)
        #expect(mail.smtp.passwordFile == "/etc/tiedotin/smtp-password")
        #expect(mail.smtp.timeout == .seconds(30))
        #expect(mail.smtp.caFile == nil)
        #expect(mail.smtp.oauth == nil)
        #expect(mail.bounces == nil)
        #expect(mail.rate == Configuration.Rate(perMinute: 30, perDay: 10_000))
        #expect(mail.connections == 1)
        #expect(mail.retry == Configuration.Retry(first: .seconds(60), maxInterval: .seconds(3_600), giveUpAfter: .seconds(259_200)))

        #expect(configuration.networks.first?.kind == .other)

        let newsletter = configuration.newsletter
        #expect(newsletter.title == "Järjestö- ja seurakuntatiedote")
        #expect(newsletter.schedule == "FREQ=MONTHLY;BYDAY=1TU;BYHOUR=9;BYMINUTE=0")
        #expect(newsletter.recipients == nil)
        #expect(newsletter.editors.isEmpty)
        #expect(newsletter.previewLead == .seconds(2 * 86_400))
        #expect(newsletter.approval == .none)
        #expect(newsletter.listID == "uutiskirje.pohde.example.fi")
        #expect(newsletter.archiveURL == nil)
        #expect(newsletter.unsubscribe.mailto?.address == "jarjestotyo@pohde.example.fi")
        #expect(newsletter.unsubscribe.mailto?.displayName == nil)
        #expect(newsletter.sections == [Configuration.Newsletter.Section(id: "koulutukset", title: "Koulutukset ja tapahtumat")])

        let forum = try #require(configuration.forums.first)
        #expect(forum.organizer == mail.from)
        #expect(forum.duration == .seconds(7_200))
        #expect(forum.inviteLead == .seconds(21 * 86_400))
        #expect(forum.reminderLead == .seconds(2 * 86_400))
        #expect(forum.meetings.first?.id == nil)
        #expect(forum.meetings.first?.cancelled == false)
        #expect(forum.meetings.first?.duration == nil)
        #expect(forum.recurrence == nil)

        #expect(configuration.intake == Configuration.Intake(settle: .seconds(5), maxItemSize: 1_048_576, acknowledge: false))
        #expect(configuration.logging.level == "info")
    }

    @Test("relative paths are resolved against the config file's folder, so ./run/tiedotin.yaml can say tiedotin.sqlite")
    func relativePaths() throws {
        let folder = TemporaryFolder()
        try folder.folder("Templates")
        try folder.write("""
            organisation:
              name: Pohjois-Pohjanmaan hyvinvointialue
            paths:
              database: tiedotin.sqlite
              drop_folder: ./drop
              templates: ../Templates
              archive: state/../archive
            mail:
              from: jarjestotyo@pohde.example.fi
              transport: maildir
              maildir: maildir
              smtp:
                url: smtp://127.0.0.1:2525
                auth: password
                username: tiedotin
                password_file: secrets/smtp-password
            networks:
              - id: jyry
                name: Järjestöyhteistyöryhmä JYRY

            """, to: "run/tiedotin.yaml")
        let configuration = try ConfigurationLoader.load(path: folder.path + "/run/tiedotin.yaml")
        #expect(configuration.file == folder.path + "/run/tiedotin.yaml")
        #expect(configuration.paths.database == folder.path + "/run/tiedotin.sqlite")
        #expect(configuration.paths.dropFolder == folder.path + "/run/drop")
        #expect(configuration.paths.templates == folder.path + "/Templates")
        #expect(configuration.paths.archive == folder.path + "/run/archive")
        #expect(configuration.mail.maildir == folder.path + "/run/maildir")
        #expect(configuration.mail.smtp.passwordFile == folder.path + "/run/secrets/smtp-password")
    }

    @Test("durations read as written: 30s, 90m, 2h, 21d and 1h30m; sizes in bytes, KiB and MiB")
    func valueForms() {
        #expect(Duration(configurationText: "30s") == .seconds(30))
        #expect(Duration(configurationText: "90m") == .seconds(5_400))
        #expect(Duration(configurationText: "2h") == .seconds(7_200))
        #expect(Duration(configurationText: "21d") == .seconds(21 * 86_400))
        #expect(Duration(configurationText: "1h30m") == .seconds(5_400))
        #expect(Duration(configurationText: "30m1h") == nil)
        #expect(Duration(configurationText: "90") == nil)
        #expect(Duration(configurationText: "2 h") == nil)
        #expect(Duration.seconds(5_400).configurationText == "1h30m")
        #expect(Duration.seconds(21 * 86_400).configurationText == "21d")

        #expect(ByteSize.parse("512KiB") == 524_288)
        #expect(ByteSize.parse("1MiB") == 1_048_576)
        #expect(ByteSize.parse("65536") == 65_536)
        #expect(ByteSize.parse("1MB") == nil)
        #expect(ByteSize.format(1_048_576) == "1MiB")

        #expect(LocalDateTime(parsing: "2027-02-10T13:00") == LocalDateTime(year: 2027, month: 2, day: 10, hour: 13, minute: 0))
        #expect(LocalDateTime(parsing: "2027-07-14") == LocalDateTime(year: 2027, month: 7, day: 14))
        #expect(LocalDateTime(parsing: "2028-02-29T09:00") != nil)
        #expect(LocalDateTime(parsing: "2027-02-29T09:00") == nil)
        #expect(LocalDateTime(parsing: "2027-02-10T24:00") == nil)
    }

    @Test("recipients may be a list of networks; listen needs url; approval: required needs editors")
    func newsletterRules() throws {
        let folder = TemporaryFolder()
        let configuration = try load(ConfigText.minimal + "newsletter:\n  recipients: [jyry]\n  approval: required\n  editors: [jarjestotyo@pohde.example.fi]\n", in: folder)
        #expect(configuration.newsletter.recipients == ["jyry"])
        #expect(configuration.newsletter.approval == .required)

        let listen = try problem(ConfigText.minimal + "newsletter:\n  unsubscribe:\n    listen: 127.0.0.1:8025\n")
        #expect(listen?.key == "newsletter.unsubscribe.listen")
        #expect(listen?.message.hasPrefix("listen needs the public address of the endpoint; add url:") == true)

        let approval = try problem(ConfigText.minimal + "newsletter:\n  approval: required\n")
        #expect(approval?.key == "newsletter.approval")
        #expect(approval?.message.hasPrefix("approval: required needs an editor to approve") == true)
    }
}
