import Foundation
import Testing
import TestSupport

/// `tiedotin members ...` run as the admin runs it: the built binary, a real config and database.
@Suite struct MembersCommandTests {
    let folder = TemporaryFolder("members-command")

    func config() throws -> String {
        try folder.write("""
            organisation:
              name: Pohjois-Pohjanmaan hyvinvointialue
            paths:
              database: tiedotin.sqlite
              drop_folder: drop
              templates: \(Repository.path("Templates"))
            mail:
              from: jarjestotyo@pohde.example.fi
              transport: maildir
              maildir: maildir
            networks:
              - id: jyry
                name: Järjestöyhteistyöryhmä JYRY
              - id: lapsiperheet
                name: Lasten, nuorten ja perheiden palvelujen järjestöverkosto

            """, to: "tiedotin.yaml")
    }

    func run(_ arguments: [String]) throws -> TiedotinBinary.Run {
        try TiedotinBinary.run(arguments + ["--config", try config()])
    }

    @Test func aBadRowImportsNothingAndEveryBadRowIsListedWithItsLine() throws {
        let file = try folder.write("""
            email,name,organisation,networks
            pia.kangas@example.fi,Pia Kangas,Oulun ensi- ja turvakoti ry,lapsiperheet
            rikki osoite,Matti Meikäläinen,Ry,jyry
            heidi.lotjonen@example.fi,Heidi Lötjönen,"SOS-Lapsikylä, ennalta ehkäisevä työ",tuntematon

            """, to: "jasenet.csv")
        let refused = try run(["members", "import", file])
        #expect(refused.status == 1)
        let lines = refused.errors.split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix("\(file):3: \"rikki osoite\" is not an email address") })
        #expect(lines.contains { $0.hasPrefix("\(file):4: unknown network \"tuntematon\"") })
        #expect(try run(["members", "list", "--format", "json"]).output.trimmingCharacters(in: .whitespacesAndNewlines) == "[]")

        let skipped = try run(["members", "import", file, "--skip-invalid"])
        #expect(skipped.status == 0)
        #expect(skipped.output.contains("1 added"))
        #expect(skipped.errors.contains("\(file):3: skipped"))
    }

    @Test func theCSVOfListImportsBackUnchanged() throws {
        let file = try folder.write("""
            email,name,organisation,networks
            pia.kangas@example.fi,Pia Kangas,Oulun ensi- ja turvakoti ry,lapsiperheet;jyry
            asa.lindqvist@example.fi,"Lindqvist, Åsa",Svenska församlingen i Uleåborg,jyry

            """, to: "jasenet.csv")
        #expect(try run(["members", "import", file]).status == 0)
        let exported = try run(["members", "list", "--format", "csv"])
        #expect(exported.status == 0)
        let again = try folder.write(exported.output, to: "takaisin.csv")
        let reimport = try run(["members", "import", again])
        #expect(reimport.status == 0)
        #expect(reimport.output.contains("0 added, 0 changed"))
    }

    @Test func anUnknownNetworkForAddIsExitOne() throws {
        let run = try run(["members", "add", "pia.kangas@example.fi", "--network", "ikaihmiset"])
        #expect(run.status == 1)
        #expect(run.errors.contains("ikaihmiset"))
    }
}
