@testable import MIME
import Testing

/// The address checks the header writer relies on (RFC 5321 §4.5.3.1 sizes, RFC 5322 §3.4.1 form).
@Suite struct EmailAddressTests {
    @Test("Valid addresses, bare and with names, parse and keep what was written")
    func valid() throws {
        let plain = try EmailAddress(parsing: "pia.kangas@example.fi")
        #expect(plain.address == "pia.kangas@example.fi" && plain.displayName == nil)
        let named = try EmailAddress(parsing: "\"Kangas, Pia\" <Pia.Kangas@Example.fi>")
        #expect(named.displayName == "Kangas, Pia" && named.address == "Pia.Kangas@Example.fi")
        #expect(named.domain == "Example.fi" && named.key == "pia.kangas@example.fi")
        #expect(try EmailAddress(parsing: "toimisto@yhdistyslä.example.fi").domain == "yhdistyslä.example.fi")
    }

    @Test("Each kind of bad address is refused with its own reason")
    func invalid() {
        let cases: [(String, EmailAddressError)] = [
            ("", .empty),
            ("pia@example.fi\r\nBcc: x@example.fi", .lineBreak),
            ("pia@example.fi\nBcc: x@example.fi", .lineBreak),
            ("pia kangas@example.fi", .whitespace),
            ("pia\u{A0}kangas@example.fi", .whitespace),
            ("pia.example.fi", .missingAt),
            ("pia@kangas@example.fi", .severalAt),
            ("@example.fi", .emptyLocalPart),
            (String(repeating: "p", count: 65) + "@example.fi", .localPartTooLong),
            ("pia,kangas@example.fi", .forbiddenCharacter),
            ("pia..kangas@example.fi", .badDots),
            (".pia@example.fi", .badDots),
            ("pia@example", .badDomain),
            ("pia@example..fi", .badDomain),
            ("pia@-example.fi", .badDomain),
            ("pia@exa_mple.fi", .badDomain),
            ("pia@" + String(repeating: "a", count: 250) + ".fi", .tooLong),
        ]
        for (text, error) in cases {
            #expect(throws: error, "\(text)") { try EmailAddress.validate(address: text) }
        }
    }

    @Test("A CRLF in a display name is refused (Swift sees CRLF as one Character, so this checks scalars)")
    func crlfInName() {
        #expect(throws: EmailAddressError.lineBreak) { try EmailAddress(address: "pia@example.fi", displayName: "Pia\r\nBcc: x") }
        #expect(throws: EmailAddressError.lineBreak) { try EmailAddress(parsing: "Pia\r\nBcc: x <pia@example.fi>") }
    }

    @Test("The one-pass check for plain addresses accepts exactly what the careful checks accept")
    func onePassAgreesWithTheCarefulChecks() {
        // Every string of up to five of these characters: the ones that decide an address's form.
        let alphabet: [String] = ["a", "B", "7", ".", "@", "-", " ", "<", "_", "ä", "\u{7F}"]
        var texts: [String] = [""]
        var frontier: [String] = [""]
        for _ in 1...5 {
            frontier = frontier.flatMap { prefix in alphabet.map { prefix + $0 } }
            texts += frontier
        }
        let local64 = String(repeating: "a", count: 64), domain = "." + String(repeating: "b", count: 63)
        texts += [
            local64 + "@example.fi", local64 + "a@example.fi",
            "a@" + String(repeating: "b", count: 63) + domain + domain + String(domain.prefix(61)),
            "a@" + String(repeating: "b", count: 63) + domain + domain + String(domain.prefix(62)),
            "pia.kangas@yhdistys-9.example.fi", "pia@-example.fi", "pia@example-.fi", "pia@example.fi-",
            "pia@example.-fi", "pia@example..fi", "pia@.example.fi", "pia@example.fi.", "pia.@example.fi",
            ".pia@example.fi", "pi..a@example.fi", "pia@@example.fi", "pia@examplefi", "pia@exam_ple.fi",
            "p!#$%&'*+/=?^_`{|}~ia@example.fi", "pia;@example.fi", "pia\"@example.fi", "pia@example.fi\r\n",
        ]
        var accepted = 0
        for text in texts {
            let careful: Bool
            do {
                try EmailAddress.validateCarefully(address: text)
                careful = true
            } catch {
                careful = false
            }
            let onePass = Array(text.utf8).withUnsafeBufferPointer(EmailAddress.isPlainAcceptable)
            // The one pass may leave a right address to the careful checks (non-ASCII), never accept a wrong one.
            #expect(onePass == careful || (!onePass && text.utf8.contains { $0 >= 0x80 }), "\(text.debugDescription)")
            if onePass { accepted += 1 }
        }
        #expect(accepted >= 40)  // right addresses are among them (48 of five characters), so the comparison means something
    }
}
