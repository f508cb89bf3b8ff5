import Foundation
import MIME
import Testing
import TestSupport

/// RFC 5322 §2.1.1 (line length) and §2.2.3 (folding).
@Suite struct HeaderFoldingTests {
    @Test("§2.2.3: a long subject is folded at white space into lines of at most 78 characters, unfolding to the original")
    func longSubjectFolded() throws {
        let subject = (1...30).map { "sana\($0)" }.joined(separator: " ")
        let message = try Fixtures.message(Fixtures.headers(subject: subject))
        let lines = fieldLines("Subject", in: message)
        #expect(lines.count > 1)
        for line in lines { #expect(line.utf8.count <= 78, "\(line)") }
        for line in lines.dropFirst() { #expect(line.hasPrefix(" ")) }
        // Unfolding is removing each CRLF before white space (§2.2.3).
        #expect(lines.joined() == "Subject: " + subject)
        #expect(try MessageInspector.inspect(message).value(of: "Subject") == subject)
    }

    @Test("§2.2.3: several spaces and tabs between words survive folding as they were")
    func whitespaceKept() throws {
        let subject = (1...20).map { "sana\($0)" }.joined(separator: " \t  ")
        let message = try Fixtures.message(Fixtures.headers(subject: subject))
        let lines = fieldLines("Subject", in: message)
        #expect(lines.count > 1)
        #expect(lines.joined() == "Subject: " + subject)
        for line in lines { #expect(!line.hasSuffix(" ") && !line.hasSuffix("\t"), "\(line)") }
    }

    @Test("§2.1.1: a long ASCII word stays whole on its line (over 78 but within 998), not encoded")
    func longAsciiWordKept() throws {
        let word = String(repeating: "pitkasana", count: 15)
        let message = try Fixtures.message(Fixtures.headers(subject: "Liite " + word + " tulossa"))
        let lines = fieldLines("Subject", in: message)
        #expect(lines == ["Subject: Liite", " " + word, " tulossa"])
    }

    @Test("§2.1.1: an unstructured word too long for 998 octets is encoded and folded instead")
    func overlongWordEncoded() throws {
        let word = String(repeating: "x", count: 2_000)
        let message = try Fixtures.message(Fixtures.headers(subject: word))
        for line in headerLines(message) { #expect(line.utf8.count <= 78) }
        let inspected = try MessageInspector.inspect(message)
        #expect(inspected.defects == [])
        #expect(inspected.value(of: "Subject") == word)
    }

    @Test("§2.1.1: a structured value with a word that cannot fit in 998 octets is refused, naming the header")
    func overlongStructuredRefused() throws {
        let headers = Fixtures.headers(extra: [.structured("X-Tunniste", String(repeating: "x", count: 1_000))])
        #expect(throws: MIMEError.headerLineTooLong(header: "X-Tunniste")) { try headers.render() }
        #expect(MIMEError.headerLineTooLong(header: "X-Tunniste").description.contains("X-Tunniste"))
    }

    @Test("RFC 2047 §2: lines holding encoded words stay within 76 characters, also after a longer header name")
    func encodedLinesWithin76() throws {
        let name = "X-Pohde-Jarjestoyhteistyo-Tiedote"
        let text = "Järjestöyhteistyöryhmä JYRY kokoontuu Pohjankartanossa; äänestys ja päätökset"
        let message = try Fixtures.message(Fixtures.headers(subject: text, extra: [.text(name, text)]))
        for line in headerLines(message) { #expect(line.utf8.count <= 76, "\(line)") }
        let inspected = try MessageInspector.inspect(message)
        #expect(inspected.defects == [])
        #expect(inspected.value(of: name) == text)
        #expect(inspected.value(of: "Subject") == text)
    }

    @Test("§2.2.3: the first word stays on the name's line even after a very long name, so no reader sees leading space")
    func firstWordOnNameLine() throws {
        let name = "X-Pohjois-Pohjanmaan-Hyvinvointialueen-Jarjestoyhteistyon-Tiedote-Tunniste"
        let text = "Järjestöyhteistyöryhmä JYRY kokoontuu"
        let message = try Fixtures.message(Fixtures.headers(extra: [.text(name, text), .structured(name + "-2", "abc def")]))
        #expect(fieldLines(name, in: message)[0].hasPrefix(name + ": =?utf-8?"))
        #expect(fieldLines(name + "-2", in: message) == [name + "-2: abc", " def"])
        let inspected = try MessageInspector.inspect(message)
        #expect(inspected.defects == [])
        #expect(inspected.value(of: name) == text)
    }

    @Test("§3.4: an address list folds between addresses, each mailbox decoded back")
    func addressListFolds() throws {
        let people = try (1...6).map {
            try EmailAddress(address: "jasen\($0)@example.fi", displayName: "Jäsen \($0), Oulun seudun yhdistys")
        }
        let message = try Fixtures.message(Fixtures.headers(extra: [.addresses("Cc", people)]))
        for line in fieldLines("Cc", in: message) { #expect(line.utf8.count <= 78, "\(line)") }
        let inspected = try MessageInspector.inspect(message)
        #expect(inspected.defects == [])
        #expect(inspected.mailboxes(of: "Cc").map(\.displayName) == people.map { $0.displayName! })
        #expect(inspected.mailboxes(of: "Cc").map(\.addrSpec) == people.map(\.address))
    }

    @Test("White space at either end of a subject is dropped, so no header line ends in white space")
    func subjectTrimmed() throws {
        let message = try Fixtures.message(Fixtures.headers(subject: "  Tiedote  "))
        #expect(fieldLines("Subject", in: message) == ["Subject: Tiedote"])
    }

    @Test("RFC 2047 §2: a display name that is one long encoded word moves to its own line rather than pass 76")
    func longEncodedNameOnOwnLine() throws {
        // One word, not an atom: one encoded word of 72 characters, too long to follow "Reply-To: ".
        let name = "Järjestöyhteistyöryhmä:n-sihteeristö-Oul"
        var headers = Fixtures.headers()
        headers.replyTo = try EmailAddress(address: "sihteeristo@example.fi", displayName: name)
        let message = try Fixtures.message(headers)
        let lines = fieldLines("Reply-To", in: message)
        #expect(lines.count == 3 && lines[0] == "Reply-To:", "\(lines)")
        for line in lines { #expect(line.utf8.count <= 76, "\(line)") }
        let inspected = try MessageInspector.inspect(message)
        #expect(inspected.defects == [])
        #expect(inspected.mailboxes(of: "Reply-To") == [.init(displayName: name, addrSpec: "sihteeristo@example.fi")])
    }
}
