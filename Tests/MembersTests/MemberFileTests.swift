import Foundation
import Testing
import TiedotinCore

/// Reading member CSV files: encodings, line ends, RFC 4180 quoting and the lines messages name.
@Suite struct MemberFileTests {
    @Test func readsFinnishAndSwedishNamesWithAndWithoutByteOrderMark() throws {
        let fixture = try Fixture()
        let text = header + "asa.lindqvist@example.fi,Åsa Lindqvist,Svenska församlingen i Uleåborg,seurakunnat\n"
        for bytes in [Data(text.utf8), Data([0xEF, 0xBB, 0xBF]) + Data(text.utf8)] {
            let file = try MemberFile.read(path: try fixture.write("bom.csv", bytes))
            #expect(file.problems.isEmpty)
            #expect(file.rows.count == 1)
            #expect(file.rows[0].email == "asa.lindqvist@example.fi")
            #expect(file.rows[0].name == "Åsa Lindqvist")
            #expect(file.rows[0].organisation == "Svenska församlingen i Uleåborg")
        }
    }

    @Test func readsCRLFLineEndsLikeLF() throws {
        let fixture = try Fixture()
        let lf = header + "pia.kangas@example.fi,Pia Kangas,Oulun ensi- ja turvakoti ry,jyry;lapsiperheet\n"
            + "jussi.maatta@example.fi,Jussi Määttä,Oulun seurakuntayhtymä,seurakunnat\n"
        let crlf = lf.replacingOccurrences(of: "\n", with: "\r\n")
        let fromLF = try fixture.file(lf)
        let fromCRLF = try fixture.file(crlf, name: "crlf.csv")
        #expect(fromCRLF.rows == fromLF.rows)
        #expect(fromCRLF.rows.map(\.line) == [2, 3])
        #expect(fromCRLF.rows[0].networks == ["jyry", "lapsiperheet"])
    }

    @Test func quotedFieldsKeepCommasQuotesAndLineBreaksAndLaterLinesStayRight() throws {
        let fixture = try Fixture()
        let text = header
            + "asa.lindqvist@example.fi,\"Lindqvist, Åsa\",Svenska församlingen i Uleåborg,seurakunnat\n"   // line 2
            + "tiina.laitinen@example.fi,Tiina Laitinen,\"Oulun seurakuntayhtymä\n"                          // line 3
            + "diakoniakeskus\",seurakunnat;ikaihmiset\n"                                                      // line 4
            + "leena.pohjola@example.fi,\"Leena \"\"Lenni\"\" Pohjola\",Pohjois-Pohjanmaan Muistiyhdistys ry,ikaihmiset\n" // line 5
            + "broken.row@example.fi,Ei Verkostoa\n"                                                           // line 6
        for lineEnd in ["\n", "\r\n"] {
            let file = try fixture.file(text.replacingOccurrences(of: "\n", with: lineEnd), name: "quoted.csv")
            #expect(file.rows.map(\.line) == [2, 3, 5])
            #expect(file.rows[0].name == "Lindqvist, Åsa")
            // A line break typed inside a cell cannot go into a mail header: it becomes a space.
            #expect(file.rows[1].organisation == "Oulun seurakuntayhtymä diakoniakeskus")
            #expect(file.rows[2].name == "Leena \"Lenni\" Pohjola")
            #expect(file.problems.map(\.line) == [6])
            #expect(file.problems.first?.message.contains("2 fields where the header has 4") == true)
        }
    }

    @Test func networksAreSplitAtSemicolonsTrimmedAndEachKeptOnce() throws {
        let fixture = try Fixture()
        let file = try fixture.file(header + "pia.kangas@example.fi,Pia Kangas,,\" jyry ; hyte;;jyry \"\n")
        #expect(file.rows.first?.networks == ["jyry", "hyte"])
        #expect(file.rows.first?.organisation == nil)
    }

    @Test func headerColumnsMayComeInAnyOrderAndCase() throws {
        let fixture = try Fixture()
        let file = try fixture.file("Networks,EMAIL,Organisation,Name\njyry,pia.kangas@example.fi,Oulun ensi- ja turvakoti ry,Pia Kangas\n")
        #expect(file.rows.first?.email == "pia.kangas@example.fi")
        #expect(file.rows.first?.name == "Pia Kangas")
        #expect(file.rows.first?.networks == ["jyry"])
    }

    @Test func blankLinesAndEmptySpreadsheetRowsAreLeftOutButCounted() throws {
        let fixture = try Fixture()
        let file = try fixture.file(header + "\n,,,\npia.kangas@example.fi,Pia Kangas,,jyry\n\n")
        #expect(file.rows.map(\.line) == [4])
        #expect(file.problems.isEmpty)
    }

    @Test func aMissingHeaderColumnIsNamed() throws {
        let fixture = try Fixture()
        #expect {
            try fixture.file("email,name,networks\npia.kangas@example.fi,Pia Kangas,jyry\n", name: "puuttuu.csv")
        } throws: { error in
            let text = "\(error)"
            return text.hasPrefix("\(fixture.folder.path)/puuttuu.csv:1: the header lacks the column organisation")
                && text.contains("email,name,organisation,networks")
        }
    }

    @Test func anUnknownHeaderColumnIsNamed() throws {
        let fixture = try Fixture()
        #expect {
            try fixture.file("email,name,organization,networks\n")
        } throws: { error in
            "\(error)".contains(":1: unknown column \"organization\"")
        }
    }

    @Test func aFileSeparatedBySemicolonsGetsAHint() throws {
        let fixture = try Fixture()
        #expect {
            try fixture.file("email;name;organisation;networks\npia.kangas@example.fi;Pia Kangas;;jyry\n")
        } throws: { error in
            "\(error)".contains(":1: the columns are separated by semicolons, not commas")
        }
    }

    @Test func anEmptyFileIsRefused() throws {
        let fixture = try Fixture()
        for text in ["", "\n\n"] {
            #expect {
                try fixture.file(text)
            } throws: { error in
                "\(error)".contains(":1: the file is empty")
            }
        }
    }

    @Test func aLatin1FileIsRefusedAtTheLineOfItsFirstBadByte() throws {
        let fixture = try Fixture()
        // "Määttä" in Latin-1: ä is the single byte 0xE4.
        var bytes = Data(header.utf8)
        bytes += Data("pia.kangas@example.fi,Pia Kangas,,jyry\njussi.maatta@example.fi,Jussi M".utf8)
        bytes += Data([0xE4, 0xE4]) + Data("tt".utf8) + Data([0xE4]) + Data(",,seurakunnat\n".utf8)
        let path = try fixture.write("latin1.csv", bytes)
        #expect {
            try MemberFile.read(path: path)
        } throws: { error in
            let text = "\(error)"
            return text.hasPrefix("\(path):3: the file is not UTF-8 (byte 0xE4") && text.contains("CSV UTF-8")
        }
    }

    @Test func aUTF16FileIsRefusedWithWhatToSaveInstead() throws {
        let fixture = try Fixture()
        let path = try fixture.write("utf16.csv", Data([0xFF, 0xFE]) + header.data(using: .utf16LittleEndian)!)
        #expect {
            try MemberFile.read(path: path)
        } throws: { error in
            "\(error)".contains("UTF-16")
        }
    }

    @Test func anUnclosedQuoteIsReportedWhereItOpens() throws {
        let fixture = try Fixture()
        let file = try fixture.file(header
            + "pia.kangas@example.fi,Pia Kangas,,jyry\n"
            + "aino.korhonen@example.fi,\"Aino Korhonen,MLL Pohjois-Pohjanmaan piiri,lapsiperheet\n"
            + "matti.heikkinen@example.fi,Matti Heikkinen,SOS-Lapsikylä,lapsiperheet\n")
        #expect(file.rows.map(\.line) == [2])
        #expect(file.problems.map(\.line) == [3])
        #expect(file.problems.first?.message.contains("never closed") == true)
    }

    @Test func aMissingFileSaysSo() {
        #expect {
            try MemberFile.read(path: "/nonexistent/tiedotin/jasenet.csv")
        } throws: { error in
            "\(error)".hasPrefix("/nonexistent/tiedotin/jasenet.csv: cannot read the file")
        }
    }

    @Test func theExampleFileImportsCleanly() throws {
        let fixture = try Fixture()
        let example = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Config/members.example.csv").path
        let report = try fixture.lists.importMembers(try MemberFile.read(path: example), at: Fixture.now)
        #expect(report.added.count == 25)
        #expect(report.skipped.isEmpty)
        #expect(try fixture.listing("asa.lindqvist@example.fi")?.name == "Lindqvist, Åsa")
        // Every network of the example config has someone on it.
        for network in Fixture.networks {
            #expect(try !fixture.emails(on: network).isEmpty, "no one on \(network)")
        }
    }
}
