import Foundation
import Recurrence
import Testing
import TestSupport
@testable import TiedotinCore

/// The configs in the repository are what admins and developers start from: they must load as shipped.
@Suite("The shipped example configs")
struct ShippedConfigTests {
    static let networkIDs = [
        "jyry", "lapsiperheet", "mielenterveys", "ikaihmiset", "vammaispalvelut", "sote-keskus", "kuntoutus", "hyte",
        "seurakunnat", "aamukahvit",
    ]

    @Test("Config/tiedotin.yaml loads with no problem (its /var and /etc paths are not looked at)")
    func exampleLoads() throws {
        let configuration = try ConfigurationLoader.load(path: repositoryRoot + "/Config/tiedotin.yaml", checkingFileSystem: false)
        #expect(configuration.organisation.name == "Pohjois-Pohjanmaan hyvinvointialue")
        #expect(configuration.networks.map(\.id) == Self.networkIDs)
        #expect(configuration.network("hyte")?.kind == .thematic)
        #expect(configuration.network("seurakunnat")?.kind == .parish)
        #expect(configuration.networks.filter { $0.kind == .serviceArea }.count == 6)
        #expect(configuration.paths.database == "/var/lib/tiedotin/tiedotin.sqlite")
        #expect(configuration.mail.transport == .smtp)
        #expect(configuration.mail.smtp.url.absoluteString == "smtp://mail.example.fi:587")
        #expect(configuration.mail.smtp.oauth?.scope == "https://outlook.office365.com/.default")
        #expect(configuration.mail.bounces?.address.address == "bounces@pohde.example.fi")
        #expect(configuration.newsletter.unsubscribe.listen == "127.0.0.1:8025")

        let jyry = try #require(configuration.forums.first { $0.id == "jyry" })
        #expect(jyry.meetings.first?.start == LocalDateTime(year: 2027, month: 2, day: 10, hour: 13, minute: 0))
        #expect(jyry.meetings.contains { $0.id == "jyry-2027-04" && $0.cancelled })

        let coffee = try #require(configuration.forums.first { $0.id == "aamukahvit" })
        let rule = try RecurrenceRule(parsing: try #require(coffee.recurrence).rule)
        #expect(rule.frequency == .monthly)
        #expect(coffee.recurrence?.except == [LocalDateTime(year: 2027, month: 7, day: 14)])

        let meetingIDs = configuration.forums.flatMap(\.meetings).compactMap(\.id)
        #expect(Set(meetingIDs).count == meetingIDs.count)
        #expect(meetingIDs.allSatisfy { $0.contains("2027") })
    }

    @Test("Config/tiedotin.yaml uses every key of the contract")
    func exampleUsesEveryKey() throws {
        let text = try String(contentsOfFile: repositoryRoot + "/Config/tiedotin.yaml", encoding: .utf8)
        let keys = ConfigurationDecoder.topKeys + ConfigurationDecoder.mailKeys + ConfigurationDecoder.smtpKeys
            + ConfigurationDecoder.oauthKeys + ConfigurationDecoder.newsletterKeys + ConfigurationDecoder.forumKeys
            + ConfigurationDecoder.meetingKeys
            + ["name", "timezone", "language", "database", "drop_folder", "templates", "archive", "address", "mailbox",
               "per_minute", "per_day", "first", "max_interval", "give_up_after", "kind", "mailto", "listen", "rule",
               "start", "except", "settle", "max_item_size", "acknowledge", "level"]
        for key in Set(keys) {
            #expect(text.contains("\(key):"), "Config/tiedotin.yaml does not show \(key)")
        }
    }

    @Test("Config/development.yaml, copied to ./run/, keeps every file under ./run/ and loads with its paths checked")
    func developmentLoads() throws {
        let folder = TemporaryFolder()
        let run = try folder.folder("run")
        try folder.folder("Templates")
        let text = try String(contentsOfFile: repositoryRoot + "/Config/development.yaml", encoding: .utf8)
        try folder.write(text, to: "run/tiedotin.yaml")

        let configuration = try ConfigurationLoader.load(path: run + "/tiedotin.yaml")
        #expect(configuration.paths.database == run + "/tiedotin.sqlite")
        #expect(configuration.paths.dropFolder == run + "/drop")
        #expect(configuration.paths.archive == run + "/archive")
        #expect(configuration.paths.templates == folder.path + "/Templates")
        #expect(configuration.mail.maildir == run + "/maildir")
        #expect(configuration.mail.transport == .maildir)
        #expect(configuration.networks.map(\.id) == Self.networkIDs)
    }

    @Test("the example and the development config have the same networks, so one member CSV imports into both")
    func sameNetworks() throws {
        let example = try ConfigurationLoader.load(path: repositoryRoot + "/Config/tiedotin.yaml", checkingFileSystem: false)
        let development = try ConfigurationLoader.load(path: repositoryRoot + "/Config/development.yaml", checkingFileSystem: false)
        #expect(example.networks == development.networks)
    }
}
