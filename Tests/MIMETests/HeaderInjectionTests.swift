import Foundation
import MIME
import Testing
import TestSupport

/// A line break in any header value or name is refused: no input can add a header (RFC 5322 §2.2:
/// a header field is one line, unfolded).
@Suite struct HeaderInjectionTests {
    let injections = ["\r\nBcc: huijari@example.fi", "\nBcc: huijari@example.fi", "\rBcc: huijari@example.fi", "\u{2028}Bcc: x", "\u{85}Bcc: x"]

    @Test("A line break in the subject is refused, the error naming the Subject header")
    func subject() {
        for injection in injections {
            let headers = Fixtures.headers(subject: "Tiedote" + injection)
            #expect(throws: MIMEError.lineBreakInHeader(header: "Subject")) { try headers.render() }
        }
        #expect(MIMEError.lineBreakInHeader(header: "Subject").description.contains("Subject"))
    }

    @Test("A line break in a display name is refused, even one set after the address was made")
    func displayName() throws {
        #expect(throws: EmailAddressError.lineBreak) {
            try EmailAddress(address: "pia@example.fi", displayName: "Pia\r\nBcc: huijari@example.fi")
        }
        for injection in injections {
            var to = Fixtures.pia
            to.displayName = "Pia Kangas" + injection
            #expect(throws: MIMEError.lineBreakInHeader(header: "To")) { try Fixtures.headers(to: to).render() }
        }
        var replyTo = Fixtures.replyTo
        replyTo.displayName = "JYRY\nBcc: x@example.fi"
        var headers = Fixtures.headers()
        headers.replyTo = replyTo
        #expect(throws: MIMEError.lineBreakInHeader(header: "Reply-To")) { try headers.render() }
    }

    @Test("A line break in an address set after it was made is refused")
    func address() {
        var to = Fixtures.pia
        to.address = "pia@example.fi\r\nBcc: huijari@example.fi"
        #expect(throws: MIMEError.lineBreakInHeader(header: "To")) { try Fixtures.headers(to: to).render() }
        to.address = "pia kangas@example.fi"
        #expect(throws: MIMEError.invalidAddress(header: "To", address: "pia kangas@example.fi", reason: EmailAddressError.whitespace.description)) {
            try Fixtures.headers(to: to).render()
        }
    }

    @Test("A line break in an extra header's value or name is refused, naming the header")
    func extraHeaders() {
        let cases: [(HeaderField, MIMEError)] = [
            (.text("Comments", "hyvä\nBcc: x@example.fi"), .lineBreakInHeader(header: "Comments")),
            (.structured("Auto-Submitted", "auto-generated\r\nBcc: x@example.fi"), .lineBreakInHeader(header: "Auto-Submitted")),
            (.listID(description: "JYRY\r\nBcc: x", id: "jyry.pohde.example.fi"), .lineBreakInHeader(header: "List-Id")),
            (.listID(description: "JYRY", id: "jyry.pohde.example.fi>\r\nBcc: x"), .lineBreakInHeader(header: "List-Id")),
            (.listUnsubscribe(["mailto:unsubscribe@pohde.example.fi\r\nBcc: x"]), .lineBreakInHeader(header: "List-Unsubscribe")),
            (.listUnsubscribe(["https://pohde.example.fi/x>, <https://evil.example"]), .invalidURI(header: "List-Unsubscribe", uri: "https://pohde.example.fi/x>, <https://evil.example")),
            (.text("X-Tiedote\r\nBcc", "x"), .invalidHeaderName("X-Tiedote\r\nBcc")),
            (.text("X Tiedote", "x"), .invalidHeaderName("X Tiedote")),
            (.text("X-Tiedote:", "x"), .invalidHeaderName("X-Tiedote:")),
            (.text("X-Tiedote", "nul\u{0}"), .controlCharacterInHeader(header: "X-Tiedote")),
        ]
        for (field, error) in cases {
            #expect(throws: error) { try Fixtures.headers(extra: [field]).render() }
            #expect(error.description.contains(field.name) || error.description.contains(String(reflecting: field.name)))
        }
    }

    @Test("A Message-ID with a line break or without angle brackets is refused")
    func messageID() {
        for id in ["<abc@pohde.example.fi>\r\nBcc: x@example.fi", "abc@pohde.example.fi", "<abc@@pohde.example.fi>", "<a b@c.fi>"] {
            var headers = Fixtures.headers()
            headers.messageID = id
            #expect(throws: MIMEError.invalidMessageID(id)) { try headers.render() }
        }
    }

    @Test("Extra headers cannot duplicate the ones the message writes itself")
    func reservedHeaders() {
        for name in ["From", "to", "Subject", "Message-ID", "MIME-Version", "Content-Type", "Content-Transfer-Encoding"] {
            #expect(throws: MIMEError.reservedHeader(name)) { try Fixtures.headers(extra: [.structured(name, "x")]).render() }
        }
    }

    @Test("Characters that merely share bytes with line separators (Ш, ¨, †, ‧) are accepted and decoded back")
    func lookalikeBytesAccepted() throws {
        let subject = "Ш ¨ † ‧ \u{2027} ok"  // D0 A8, C2 A8, E2 80 A0, E2 80 A7
        let message = try Fixtures.message(Fixtures.headers(subject: subject))
        #expect(try MessageInspector.inspect(message).value(of: "Subject") == subject)
    }
}
