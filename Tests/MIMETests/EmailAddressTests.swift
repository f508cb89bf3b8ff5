import MIME
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
}
