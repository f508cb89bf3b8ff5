import Foundation
import Testing
import TestSupport
@testable import TiedotinCore

/// Each kind of mistake an admin makes in `tiedotin.yaml` is reported at its line and column, with the
/// key path, what is wrong and what to write instead (DESIGN: "FILE:LINE:COLUMN: KEY.PATH: ...").
@Suite("Config problems: line, column, key and advice")
struct ConfigurationProblemTests {
    @Test("a mistyped key is an error at its line, with the closest known key suggested")
    func unknownKeyWithSuggestion() throws {
        let yaml = """
            mail:
              from: "Pohden järjestötyö <jarjestotyo@pohde.example.fi>"
              transport: maildir
              maildir: maildir
              rate:
                per_minut: 30

            """ + ConfigText.organisation + ConfigText.paths + ConfigText.networks
        let found = try problem(yaml)
        #expect(found == ConfigurationProblem(
            line: 6, column: 5, key: "mail.rate.per_minut",
            message: "\"per_minut\" is not a key tiedotin knows in mail.rate; did you mean per_minute?"))
        #expect(found?.formatted(file: "/etc/tiedotin/tiedotin.yaml")
            == "/etc/tiedotin/tiedotin.yaml:6:5: mail.rate.per_minut: \"per_minut\" is not a key tiedotin knows in mail.rate; did you mean per_minute?")
    }

    @Test("a mistyped section name at the top is caught too, and a key with no near match lists the keys")
    func unknownTopLevelKey() throws {
        let found = try problems("newsleter:\n  title: Tiedote\n" + ConfigText.minimal + "loging:\n  level: info\n")
        #expect(found.count == 2)
        #expect(found.first == ConfigurationProblem(
            line: 1, column: 1, key: "newsleter",
            message: "\"newsleter\" is not a key tiedotin knows at the top of the file; did you mean newsletter?"))
        #expect(found.last?.line == 21)
        #expect(found.last?.message.contains("did you mean logging?") == true)

        let far = try problem(ConfigText.minimal + "intake:\n  colour: blue\n")
        #expect(far?.key == "intake.colour")
        #expect(far?.message == "\"colour\" is not a key tiedotin knows in intake; the keys here are settle, max_item_size or acknowledge")
    }

    @Test("a value of the wrong type says what was expected and shows the right form")
    func wrongType() throws {
        let list = try problem("organisation:\n  name: [Pohde, JYRY]\n" + ConfigText.paths + ConfigText.mail + ConfigText.networks)
        #expect(list == ConfigurationProblem(
            line: 2, column: 9, key: "organisation.name",
            message: "expected a single value, found a list; write for example name: Pohjois-Pohjanmaan hyvinvointialue"))

        let word = try problem(ConfigText.minimal + "intake:\n  acknowledge: ehkä\n")
        #expect(word == ConfigurationProblem(
            line: 20, column: 16, key: "intake.acknowledge",
            message: "\"ehkä\" is not true or false; write acknowledge: true or acknowledge: false"))

        let notNumber = try problem("""
            mail:
              from: jarjestotyo@pohde.example.fi
              transport: maildir
              maildir: maildir
              rate:
                per_minute: thirty

            """ + ConfigText.organisation + ConfigText.paths + ConfigText.networks)
        #expect(notNumber == ConfigurationProblem(
            line: 6, column: 17, key: "mail.rate.per_minute",
            message: "\"thirty\" is not a whole number; write for example per_minute: 30"))

        let section = try problem("organisation: Pohde\n" + ConfigText.paths + ConfigText.mail + ConfigText.networks)
        #expect(section?.line == 1)
        #expect(section?.key == "organisation")
        #expect(section?.message.hasPrefix("expected a section of keys, found \"Pohde\"") == true)
    }

    @Test("a missing required key is reported at the section that should hold it")
    func missingRequired() throws {
        let database = try problem("""
            paths:
              drop_folder: drop
              templates: templates
              archive: archive

            """ + ConfigText.organisation + ConfigText.mail + ConfigText.networks)
        #expect(database == ConfigurationProblem(
            line: 1, column: 1, key: "paths.database",
            message: "is missing and required; add it, for example database: /var/lib/tiedotin/tiedotin.sqlite"))

        // Without a mail section the transport is smtp to the local MTA (smtp://localhost:25, no login).
        let found = try problems(ConfigText.paths + ConfigText.networks)
        #expect(found.map(\.key) == ["organisation.name", "mail.from"])
        #expect(found.allSatisfy { $0.line == 1 && $0.column == 1 })

        let networks = try problem(ConfigText.organisation + ConfigText.paths + ConfigText.mail)
        #expect(networks?.key == "networks")
        #expect(networks?.message.hasPrefix("at least one network is required; add for example networks: [{id: jyry") == true)

        let emptyList = try problem(ConfigText.organisation + ConfigText.paths + ConfigText.mail + "networks: []\n")
        #expect(emptyList?.line == 12)
        #expect(emptyList?.message.hasPrefix("at least one network is required") == true)
    }

    @Test("a network id that no network has is an error where it is referred to, with the ids to choose from")
    func unknownNetworkReference() throws {
        let invitee = try problem("""
            forums:
              - id: jyry
                name: Järjestöyhteistyöryhmä JYRY
                invitees: [jyry, ikaihmset]

            """ + ConfigText.minimal)
        #expect(invitee == ConfigurationProblem(
            line: 4, column: 22, key: "forums[0].invitees[1]",
            message: "\"ikaihmset\" is not the id of any network; did you mean ikaihmiset? write one of the ids under networks: jyry or ikaihmiset"))

        let recipient = try problem("newsletter:\n  recipients:\n    - jyry\n    - seurakunnat\n" + ConfigText.minimal)
        #expect(recipient?.line == 4)
        #expect(recipient?.column == 7)
        #expect(recipient?.key == "newsletter.recipients[1]")
        #expect(recipient?.message.hasPrefix("\"seurakunnat\" is not the id of any network;") == true)
    }

    @Test("a time zone must be an IANA name")
    func badTimeZone() throws {
        let found = try problem("""
            organisation:
              name: Pohjois-Pohjanmaan hyvinvointialue
              timezone: Europe/Helsinky

            """ + ConfigText.paths + ConfigText.mail + ConfigText.networks)
        #expect(found == ConfigurationProblem(
            line: 3, column: 13, key: "organisation.timezone",
            message: "\"Europe/Helsinky\" is not an IANA time-zone name; did you mean Europe/Helsinki? write a name such as timezone: Europe/Helsinki"))
    }

    @Test("a recurrence rule that is not valid RRULE names the bad part (RFC 5545 §3.3.10)")
    func badRecurrenceRule() throws {
        let found = try problem("""
            forums:
              - id: aamukahvit
                name: Järjestöjen aamukahvit
                invitees: [jyry]
                recurrence:
                  rule: FREQ=MONTHLY;BYDAY=2XX
                  start: 2027-01-13T08:30

            """ + ConfigText.minimal)
        #expect(found == ConfigurationProblem(
            line: 6, column: 13, key: "forums[0].recurrence.rule",
            message: "not a valid RFC 5545 RRULE: BYDAY=2XX: XX is not a weekday; write MO, TU, WE, TH, FR, SA or SU"))
    }

    @Test("the newsletter schedule takes no COUNT or UNTIL and needs BYHOUR")
    func scheduleRules() throws {
        let count = try problem("newsletter:\n  schedule: FREQ=MONTHLY;BYDAY=1TU;BYHOUR=9;COUNT=12\n" + ConfigText.minimal)
        #expect(count == ConfigurationProblem(
            line: 2, column: 13, key: "newsletter.schedule",
            message: "COUNT=12 is not allowed in the newsletter schedule, which runs until the config changes; "
                + "remove COUNT, for example schedule: FREQ=MONTHLY;BYDAY=1TU;BYHOUR=9;BYMINUTE=0"))

        let until = try problem("newsletter:\n  schedule: FREQ=WEEKLY;BYHOUR=9;UNTIL=20271231\n" + ConfigText.minimal)
        #expect(until?.message.hasPrefix("UNTIL=20271231 is not allowed in the newsletter schedule") == true)

        let noHour = try problem("newsletter:\n  schedule: FREQ=MONTHLY;BYDAY=1TU\n" + ConfigText.minimal)
        #expect(noHour?.line == 2)
        #expect(noHour?.message.hasPrefix("the schedule has no BYHOUR, so it has no send time") == true)
    }

    @Test("durations need a unit: 90m, 2h, 21d")
    func badDuration() throws {
        let found = try problems("""
            forums:
              - id: jyry
                name: Järjestöyhteistyöryhmä JYRY
                invitees: [jyry]
                duration: 2 hours
                invite_lead: 21

            """ + ConfigText.minimal)
        #expect(found == [
            ConfigurationProblem(
                line: 5, column: 15, key: "forums[0].duration",
                message: "\"2 hours\" is not a duration; write a whole number with s, m, h or d (such as 30s, 90m, 2h or 21d), for example duration: 2h"),
            ConfigurationProblem(
                line: 6, column: 18, key: "forums[0].invite_lead",
                message: "\"21\" has no unit; write it with s, m, h or d, for example invite_lead: 21s or invite_lead: 21m"),
        ])
    }

    @Test("sizes are bytes or KiB/MiB, and the decimal units are refused with a hint")
    func badSize() throws {
        let found = try problem(ConfigText.minimal + "intake:\n  max_item_size: 1MB\n")
        #expect(found == ConfigurationProblem(
            line: 20, column: 18, key: "intake.max_item_size",
            message: "\"1MB\" is not a size; write a number of bytes or a number with KiB or MiB (sizes use KiB and MiB: 1KiB is 1024 bytes), for example max_item_size: 1MiB"))
    }

    @Test("an address that is not one says why, in from, editors and organizer alike")
    func badAddress() throws {
        let from = try problem("""
            mail:
              from: jarjestotyo(at)pohde.example.fi
              transport: maildir
              maildir: maildir

            """ + ConfigText.organisation + ConfigText.paths + ConfigText.networks)
        #expect(from == ConfigurationProblem(
            line: 2, column: 9, key: "mail.from",
            message: "\"jarjestotyo(at)pohde.example.fi\" is not a usable email address: the address has no @; "
                + "write for example from: \"Pohden järjestötyö <jarjestotyo@pohde.example.fi>\""))

        let editor = try problem("newsletter:\n  editors: [jarjestotyo@pohde.example.fi, pia.kangas@oetk]\n" + ConfigText.minimal)
        #expect(editor?.key == "newsletter.editors[1]")
        #expect(editor?.column == 43)
        #expect(editor?.message.contains("the domain after the @ is not a domain name like example.fi") == true)
    }

    @Test("the SMTP URL must be smtp:// or smtps:// with a host, and credentials in it are refused without echoing them")
    func badSMTPURL() throws {
        func smtp(_ url: String) -> String {
            """
            mail:
              from: jarjestotyo@pohde.example.fi
              transport: smtp
              smtp:
                url: \(url)
                auth: none

            """ + ConfigText.organisation + ConfigText.paths + ConfigText.networks
        }
        let scheme = try problem(smtp("http://mail.example.fi"))
        #expect(scheme == ConfigurationProblem(
            line: 5, column: 10, key: "mail.smtp.url",
            message: "\"http://mail.example.fi\" is not a URL starting with smtp:// or smtps://; write for example url: smtp://mail.example.fi:587"))

        let noHost = try problem(smtp("smtp:///relay"))
        #expect(noHost?.message.hasPrefix("\"smtp:///relay\" has no host name after smtp://") == true)

        let credentials = try problem(smtp("smtps://tiedotin:Kahvi-Salasana-2027@mail.example.fi:465"))
        #expect(credentials?.key == "mail.smtp.url")
        #expect(credentials?.message.hasPrefix("the URL must not hold a user name or password") == true)
        #expect(credentials?.message.contains("Kahvi-Salasana-2027") == false)

        // No URL is the local MTA, as Unix mail programs expect.
        let missing = try problems("""
            mail:
              from: jarjestotyo@pohde.example.fi
              smtp:
                auth: none

            """ + ConfigText.organisation + ConfigText.paths + ConfigText.networks)
        #expect(missing.isEmpty)
    }

    @Test("a password login needs a username")
    func usernameRequired() throws {
        let found = try problem("""
            mail:
              from: jarjestotyo@pohde.example.fi
              smtp:
                url: smtp://mail.example.fi:587
                auth: password

            """ + ConfigText.organisation + ConfigText.paths + ConfigText.networks)
        #expect(found?.line == 3)
        #expect(found?.key == "mail.smtp.username")
        #expect(found?.message.hasPrefix("is missing and required when auth is password") == true)
    }

    @Test("meeting times are local date-times that exist on the calendar and in the time zone")
    func badDateTime() throws {
        let found = try problems("""
            forums:
              - id: jyry
                name: Järjestöyhteistyöryhmä JYRY
                invitees: [jyry]
                meetings:
                  - start: 10.2.2027 13:00
                  - start: 2027-02-30T13:00
                  - start: 2027-03-28T03:30
                  - start: 2027-10-31T03:30
                recurrence:
                  rule: FREQ=MONTHLY;BYDAY=2WE
                  start: 2027-01-13
                  except: [2027-07-14, 14.7.2027]

            """ + ConfigText.minimal)
        #expect(found.map(\.key) == [
            "forums[0].meetings[0].start", "forums[0].meetings[1].start", "forums[0].meetings[2].start",
            "forums[0].recurrence.start", "forums[0].recurrence.except[1]",
        ])
        #expect(found.map(\.line) == [6, 7, 8, 12, 13])
        #expect(found[0] == ConfigurationProblem(
            line: 6, column: 16, key: "forums[0].meetings[0].start",
            message: "\"10.2.2027 13:00\" is not a local date and time YYYY-MM-DDTHH:MM on the calendar; write for example start: 2027-02-10T13:00"))
        // Summer time begins in Helsinki on 28 March 2027 at 03:00, which becomes 04:00.
        #expect(found[2].message.hasPrefix("2027-03-28T03:30 does not exist in Europe/Helsinki") == true)
        #expect(found[3].message.hasPrefix("\"2027-01-13\" has no time of day") == true)
        #expect(found[4].column == 28)
    }

    @Test("ids must be unique: networks, forums, sections, and meetings across every forum")
    func duplicateIDs() throws {
        let network = try problem(ConfigText.organisation + ConfigText.paths + ConfigText.mail + """
            networks:
              - id: jyry
                name: Järjestöyhteistyöryhmä JYRY
              - id: jyry
                name: Ikäihmisten palvelujen järjestöverkosto

            """)
        #expect(network == ConfigurationProblem(
            line: 15, column: 9, key: "networks[1].id",
            message: "the id \"jyry\" is already used by networks[0] (line 13); give every network an id of its own"))

        let meetings = try problems("""
            forums:
              - id: jyry
                name: Järjestöyhteistyöryhmä JYRY
                invitees: [jyry]
                meetings:
                  - id: kokous-2027-02
                    start: 2027-02-10T13:00
              - id: ikaihmiset
                name: Ikäihmisten palvelujen järjestöverkosto
                invitees: [ikaihmiset]
                meetings:
                  - id: kokous-2027-02
                    start: 2027-02-17T10:00
              - id: jyry
                name: JYRY uudelleen
                invitees: [jyry]

            """ + ConfigText.minimal)
        #expect(meetings == [
            ConfigurationProblem(
                line: 12, column: 13, key: "forums[1].meetings[0].id",
                message: "the id \"kokous-2027-02\" is already used by forums[0].meetings[0] (line 6); give every meeting an id of its own"),
            ConfigurationProblem(
                line: 14, column: 9, key: "forums[2].id",
                message: "the id \"jyry\" is already used by forums[0] (line 2); give every forum an id of its own"),
        ])
    }

    @Test("two live meetings of one forum at the same time are refused; a cancelled one may share the time")
    func sameStart() throws {
        let found = try problem("""
            forums:
              - id: jyry
                name: Järjestöyhteistyöryhmä JYRY
                invitees: [jyry]
                meetings:
                  - id: jyry-2027-02
                    start: 2027-02-10T13:00
                    cancelled: true
                  - id: jyry-2027-02-b
                    start: 2027-02-10T13:00
                  - id: jyry-2027-02-c
                    start: 2027-02-10T13:00

            """ + ConfigText.minimal)
        #expect(found == ConfigurationProblem(
            line: 12, column: 16, key: "forums[0].meetings[2].start",
            message: "this forum already has a meeting at 2027-02-10T13:00 (forums[0].meetings[1], line 10); "
                + "remove one of them or give this one its own time"))
    }

    @Test("a folder the service must write is refused when it cannot be created; a missing templates folder too")
    func uncreatablePath() throws {
        let folder = TemporaryFolder()
        try folder.write("not a folder\n", to: "blocker")
        let yaml = """
            paths:
              database: tiedotin.sqlite
              drop_folder: blocker/drop
              templates: no-such-templates
              archive: archive

            """ + ConfigText.organisation + ConfigText.mail + ConfigText.networks
        var found: [ConfigurationProblem] = []
        do {
            _ = try ConfigurationLoader.load(yaml: yaml, file: "tiedotin.yaml", baseDirectory: folder.path)
        } catch {
            found = error.problems
        }
        #expect(found == [
            ConfigurationProblem(
                line: 3, column: 16, key: "paths.drop_folder",
                message: "\(folder.path)/blocker/drop cannot be created because \(folder.path)/blocker is a file, not a folder; "
                    + "create the drop folder for the service's user (for example install -d -o tiedotin \(folder.path)/blocker/drop) or choose another place"),
            ConfigurationProblem(
                line: 4, column: 14, key: "paths.templates",
                message: "the folder \(folder.path)/no-such-templates does not exist; install the templates there, or set templates: "
                    + "to the folder that holds them (the repository's Templates folder in development)"),
        ])
        // The same file is fine when the file system is not looked at.
        #expect(throws: Never.self) {
            _ = try ConfigurationLoader.load(yaml: yaml, file: "tiedotin.yaml", baseDirectory: folder.path, checkingFileSystem: false)
        }
    }

    @Test("every problem in the file is reported at once, in the order of the file")
    func severalAtOnce() throws {
        let found = try problems("""
            organisation:
              name: Pohjois-Pohjanmaan hyvinvointialue
              language: en
            paths:
              database: tiedotin.sqlite
              drop_folder: drop
              templates: templates
              archive: archive
            mail:
              from: jarjestotyo@pohde.example.fi
              transport: maildir
              connections: 0
            networks:
              - id: jyry
                name: Järjestöyhteistyöryhmä JYRY
                kind: club
            logging:
              level: verbose

            """)
        #expect(found.map { "\($0.line ?? 0):\($0.column ?? 0) \($0.key)" } == [
            "3:13 organisation.language", "12:16 mail.connections", "16:11 networks[0].kind", "18:10 logging.level",
        ])
        #expect(found[0].message == "\"en\" is not a language tiedotin writes; write fi or sv")
        #expect(found[1].message == "0 is too small; write 1 or more, for example connections: 1")
        #expect(found[2].message == "\"club\" is not a kind of network; write service-area, thematic, forum, parish or other")
        #expect(found[3].message == "\"verbose\" is not a log level; write trace, debug, info, notice, warning or error")
    }

    @Test("a YAML syntax error names its line; a key given twice in one section is named")
    func yamlSyntax() throws {
        let syntax = try problem("organisation:\n  name: Pohde: JYRY\n" + ConfigText.paths)
        #expect(syntax?.line == 2)
        #expect(syntax?.key == "")
        #expect(syntax?.message.hasPrefix("YAML syntax error: mapping values are not allowed in this context") == true)

        // Reported at the second one (the one to remove), with its key path.
        let twice = try problem("organisation:\n  name: Pohde\n  name: JYRY\n" + ConfigText.paths + ConfigText.mail + ConfigText.networks)
        #expect(twice?.line == 3)
        #expect(twice?.column == 3)
        #expect(twice?.key == "organisation.name")
        #expect(twice?.message == "name is given a second time in organisation (first on line 2); keep only one")
    }

    @Test("a missing config file is one problem naming the path")
    func missingFile() throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/tiedotin.yaml"
        do {
            _ = try ConfigurationLoader.load(path: path)
            Issue.record("a missing file must not load")
        } catch {
            #expect(error.problems.count == 1)
            #expect(error.problems.first?.line == nil)
            #expect(error.description.hasPrefix("\(path): the config file does not exist;"))
        }
    }

    @Test("a file that is not UTF-8 names the line")
    func notUTF8() throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/tiedotin.yaml"
        var bytes = Data("organisation:\n  name: J".utf8)
        bytes.append(0xE4) // "ä" in Latin-1
        bytes.append(contentsOf: Data("rjest\u{F6}\n".utf8))
        try bytes.write(to: URL(fileURLWithPath: path))
        do {
            _ = try ConfigurationLoader.load(path: path)
            Issue.record("a Latin-1 file must not load")
        } catch {
            #expect(error.problems == [ConfigurationProblem(
                line: 2, column: 1, key: "", message: "this line is not UTF-8 text; save the file as UTF-8")])
        }
    }
}
