import Foundation
import MIME
import Testing
import TestSupport

/// RFC 2047: non-ASCII header text as encoded words.
@Suite struct EncodedWordTests {
    let finnish = "Järjestö- ja seurakuntatiedote: Ikäihmisten palvelujen järjestöverkosto kokoontuu Oulun "
        + "Pohjankartanossa, mukana myös Oulun ensi- ja turvakoti ry – tervetuloa! 🎉 ÄÖÅ äöå €"

    @Test("§2: every encoded word is at most 75 characters and of the form =?charset?encoding?text?=")
    func wordLength() {
        for length in [1, 10, 40, 63, 64, 100, finnish.count] {
            let text = String(finnish.prefix(length))
            let words = EncodedWord.encode(text).split(separator: " ")
            #expect(!words.isEmpty)
            for word in words {
                #expect(word.count <= 75, "\(word)")
                #expect(word.hasPrefix("=?utf-8?Q?") || word.hasPrefix("=?utf-8?B?"))
                #expect(word.hasSuffix("?="))
                #expect(!word.dropFirst(2).dropLast(2).contains(" "))
            }
        }
    }

    @Test("§5: each word decodes to whole UTF-8 characters on its own, and together to the original text (§6.2)")
    func characterBoundaries() throws {
        // Two-, three- and four-byte characters at every possible offset from a word's end.
        for prefixLength in 0..<20 {
            let text = String(repeating: "a", count: prefixLength) + String(repeating: "ä€🎉", count: 30)
            let words = EncodedWord.encode(text).split(separator: " ").map(String.init)
            var joined: [UInt8] = []
            for word in words {
                let bytes = try #require(decodeEncodedWord(word), "\(word)")
                #expect(String(validating: bytes, as: UTF8.self) != nil, "\(word) splits a character")
                joined += bytes
            }
            #expect(String(decoding: joined, as: UTF8.self) == text)
        }
    }

    @Test("§4: Q or B, whichever is shorter: Q for mostly-ASCII text, B for text dense with non-ASCII")
    func shorterEncodingChosen() {
        #expect(EncodedWord.encode("Tiedote: kevät") == "=?utf-8?Q?Tiedote:_kev=C3=A4t?=")
        #expect(EncodedWord.encode("Järjestöyhteistyöryhmä") == "=?utf-8?B?SsOkcmplc3TDtnlodGVpc3R5w7ZyeWhtw6Q=?=")
        #expect(EncodedWord.encode("Пиа Кангас").hasPrefix("=?utf-8?B?"))
    }

    @Test("§4.2: Q writes a space as _ and encodes =, ? and _ themselves")
    func qSpecials() {
        #expect(EncodedWord.encode("Kysely: a=b? c_d ok ä") == "=?utf-8?Q?Kysely:_a=3Db=3F_c=5Fd_ok_=C3=A4?=")
    }

    @Test("ASCII header text is left as it is")
    func asciiUntouched() throws {
        let message = try Fixtures.message(Fixtures.headers(subject: "Kokouskutsu: JYRY 10.2.2027 klo 13-15"))
        #expect(headerLines(message).contains("Subject: Kokouskutsu: JYRY 10.2.2027 klo 13-15"))
    }

    @Test("§5(1): only the words that need it are encoded; ASCII words around them stay readable")
    func onlyNonASCIIWordsEncoded() throws {
        let message = try Fixtures.message(Fixtures.headers())
        let lines = fieldLines("Subject", in: message)
        #expect(lines.count == 1)
        let words = lines[0].split(separator: " ")
        #expect(words.count == 4)
        #expect(words[1].hasPrefix("=?utf-8?") && words[1].hasSuffix("?="))
        #expect(decodeEncodedWord(String(words[1])) == Array("Järjestö-".utf8))
        #expect(words[2...] == ["ja", "seurakuntatiedote"])
    }

    @Test("§6.1: ASCII that looks like an encoded word is encoded, so a reader shows it literally")
    func lookalikeEncoded() throws {
        let subject = "Vastaus =?utf-8?Q?huijaus?= ei ole koodattu"
        let message = try Fixtures.message(Fixtures.headers(subject: subject))
        #expect(!string(message).contains("Subject: Vastaus =?utf-8?Q?huijaus?="))
        #expect(try MessageInspector.inspect(message).value(of: "Subject") == subject)
    }

    @Test("Subjects and display names decode back to the original text in Python's email package")
    func roundTripThroughPython() throws {
        let subjects = [
            Fixtures.subject,
            finnish,
            "Kutsu: Ikäihmisten palvelujen järjestöverkosto 12.3.2027",
            "Tiedote  kahdella  välilyönnillä ja lopussa ä",
            "Ääkköset alussa ja lopussa öö",
            "100 % varmaa: \"lainaus\" (sulkeet), pilkku; piste. _alaviiva_ = yhtä? kyllä",
            String(repeating: "Pitkäsanainenjärjestöyhteistyöryhmäkokous", count: 6),
            "Emoji 🎉 ja kiinaa 金八先生 sekaisin",
        ]
        for subject in subjects {
            let message = try Fixtures.message(Fixtures.headers(subject: subject))
            let inspected = try MessageInspector.inspect(message)
            #expect(inspected.defects == [], "\(subject)")
            #expect(inspected.value(of: "Subject") == subject)
            for line in headerLines(message) { #expect(line.utf8.count <= 76, "\(line)") }
        }
    }

    @Test("§5(3): display names quoted when they have specials, encoded when non-ASCII, decoded back by Python")
    func displayNames() throws {
        let names = [
            "Pia Kangas",
            "Kangas, Pia",
            "Pia \"PK\" Kangas",
            "Pia K. Kangas (Oulu)",
            "Pia Kangas – Oulun ensi- ja turvakoti ry",
            "Kangas, Pia – Oulun ensi- ja turvakoti ry",
            "Järjestöyhteistyöryhmä JYRY",
            "Ikäihmisten palvelujen järjestöverkosto, Pohjois-Pohjanmaan hyvinvointialue (Pohde) – yhteistyö",
            "=?utf-8?Q?Huijari?=",
        ]
        for name in names {
            let to = try EmailAddress(address: "pia.kangas@example.fi", displayName: name)
            let message = try Fixtures.message(Fixtures.headers(to: to))
            let inspected = try MessageInspector.inspect(message)
            #expect(inspected.defects == [], "\(name)")
            #expect(inspected.mailboxes(of: "To") == [.init(displayName: name, addrSpec: "pia.kangas@example.fi")])
        }
    }

    @Test("Display names: a plain one as atoms, one with a comma as a quoted string, non-ASCII words encoded")
    func displayNameForms() throws {
        func toLine(_ name: String) throws -> String {
            let to = try EmailAddress(address: "pia@example.fi", displayName: name)
            return fieldLines("To", in: try Fixtures.message(Fixtures.headers(to: to))).joined(separator: "\r\n")
        }
        #expect(try toLine("Pia Kangas") == "To: Pia Kangas <pia@example.fi>")
        #expect(try toLine("Kangas, Pia") == "To: \"Kangas, Pia\" <pia@example.fi>")
        #expect(try toLine("Pia \"PK\" Kangas") == "To: \"Pia \\\"PK\\\" Kangas\" <pia@example.fi>")
        #expect(try toLine("Pia Kangas – Oulu") == "To: Pia Kangas =?utf-8?B?4oCT?= Oulu <pia@example.fi>")
        // Phrase rules: a comma may not stand bare inside an encoded word.
        #expect(try toLine("Kangas, Pia – Oulu") == "To: =?utf-8?Q?Kangas=2C?= Pia =?utf-8?B?4oCT?= Oulu <pia@example.fi>")
        // Only letters, digits and ! * + - / stay literal in a phrase's Q word (§5(3)).
        #expect(try toLine("Seurakuntayhtymä (Oulu)") == "To: =?utf-8?Q?Seurakuntayhtym=C3=A4_=28Oulu=29?= <pia@example.fi>")
    }

    @Test("§5(3), §6.2: a display name too long for one encoded word is split into several that join back whole")
    func longPhraseRun() throws {
        let name = "Pohjois-Pohjanmaan hyvinvointialueen järjestö- ja seurakuntayhteistyöryhmän sihteeristö, Oulu"
        let to = try EmailAddress(address: "sihteeristo@example.fi", displayName: name)
        let lines = fieldLines("To", in: try Fixtures.message(Fixtures.headers(to: to)))
        #expect(lines.count > 1)
        for line in lines { #expect(line.utf8.count <= 76, "\(line)") }
        // Decode as RFC 2047 §6.2 says: white space between adjacent encoded words is dropped.
        // (Python keeps it inside display names, so Python is not the judge of this one.)
        var decoded: [UInt8] = []
        var previousWasEncoded = false
        for word in lines.joined().dropFirst("To:".count).split(separator: " ").dropLast() {
            if let bytes = decodeEncodedWord(String(word)) {
                if !previousWasEncoded, !decoded.isEmpty { decoded.append(0x20) }
                decoded += bytes
                previousWasEncoded = true
            } else {
                if !decoded.isEmpty { decoded.append(0x20) }
                decoded += Array(word.utf8)
                previousWasEncoded = false
            }
        }
        #expect(String(decoding: decoded, as: UTF8.self) == name)
    }
}
