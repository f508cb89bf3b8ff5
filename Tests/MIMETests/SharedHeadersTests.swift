import Foundation
import MIME
import Testing
import TestSupport

/// The per-recipient header block over fields encoded once per mailing.
@Suite struct SharedHeadersTests {
    let unsubscribe = HeaderField.listUnsubscribe(["mailto:unsubscribe@pohde.example.fi?subject=unsubscribe%20q7Xk2mR9vL4pN8sT1wY6zB3cD5fG0hJ7"])
    let listID = HeaderField.listID(description: "Pohden järjestö- ja seurakuntatiedote", id: "tiedote.pohde.example.fi")

    @Test("The shared fields with one recipient's give the same bytes as MessageHeaders.render()")
    func sameAsMessageHeaders() throws {
        let shared = try SharedHeaders(
            from: Fixtures.sender, replyTo: Fixtures.replyTo, subject: Fixtures.subject, date: Fixtures.monday,
            timeZone: Fixtures.helsinki, extra: [listID, .listUnsubscribeOneClick])
        let id = MessageID.make(for: Fixtures.sender)
        let headers = MessageHeaders(
            from: Fixtures.sender, to: Fixtures.pia, replyTo: Fixtures.replyTo, subject: Fixtures.subject,
            date: Fixtures.monday, timeZone: Fixtures.helsinki, messageID: id, extra: [listID, .listUnsubscribeOneClick, unsubscribe])
        #expect(try shared.render(to: Fixtures.pia, messageID: id, extra: [unsubscribe]) == headers.render())
    }

    @Test("Each recipient gets a block addressed to them with a fresh Message-ID; Python finds each message whole")
    func perRecipient() throws {
        let shared = try SharedHeaders(from: Fixtures.sender, subject: Fixtures.subject, date: Fixtures.monday, timeZone: Fixtures.helsinki, extra: [listID])
        let entity = try MIMEPart.alternative([.plain("Hei!\n"), .html("<p>Hei!</p>\n")]).entity
        let people = try ["Pia Kangas", "Matti Virtanen", "Ääni Öljynen"].enumerated().map {
            try EmailAddress(address: "jasen\($0.offset)@example.fi", displayName: $0.element)
        }
        var ids: Set<String> = []
        for person in people {
            let inspected = try MessageInspector.inspect(try shared.render(to: person, extra: [unsubscribe]) + entity)
            #expect(inspected.defects == [])
            #expect(inspected.mailboxes(of: "To") == [.init(displayName: person.displayName!, addrSpec: person.address)])
            #expect(inspected.value(of: "List-Id") == "Pohden järjestö- ja seurakuntatiedote <tiedote.pohde.example.fi>")
            let id = try #require(inspected.value(of: "Message-ID"))
            #expect(id.hasSuffix("@pohde.example.fi>"))
            ids.insert(id)
        }
        #expect(ids.count == people.count)
    }

    @Test("Bad shared values are refused when the shared fields are made, personal ones at each render")
    func refusals() throws {
        #expect(throws: MIMEError.lineBreakInHeader(header: "Subject")) {
            try SharedHeaders(from: Fixtures.sender, subject: "a\nb", date: Fixtures.monday, timeZone: Fixtures.helsinki)
        }
        #expect(throws: MIMEError.reservedHeader("Content-Type")) {
            try SharedHeaders(from: Fixtures.sender, subject: "a", date: Fixtures.monday, timeZone: Fixtures.helsinki, extra: [.structured("Content-Type", "text/plain")])
        }
        let shared = try SharedHeaders(from: Fixtures.sender, subject: "a", date: Fixtures.monday, timeZone: Fixtures.helsinki)
        #expect(throws: MIMEError.reservedHeader("Subject")) { try shared.render(to: Fixtures.pia, extra: [.text("Subject", "b")]) }
        #expect(throws: MIMEError.invalidMessageID("<x>")) { try shared.render(to: Fixtures.pia, messageID: "<x>") }
    }

    @Test("A mailing to a thousand draws its Message-IDs' randomness in blocks, and still gives each a different one of the right form")
    func aThousandRecipientsGetAThousandMessageIDs() throws {
        let shared = try SharedHeaders(from: Fixtures.sender, subject: Fixtures.subject, date: Fixtures.monday, timeZone: Fixtures.helsinki)
        var ids: Set<String> = []
        var randomParts: Set<Substring> = []
        for number in 0..<1_000 {
            let block = String(decoding: try shared.render(to: try EmailAddress(address: "jasen\(number)@example.fi")), as: UTF8.self)
            let match = try #require(block.firstMatch(of: /\r\nMessage-ID: <([a-z2-7]{26})@pohde\.example\.fi>\r\n/))
            ids.insert(String(match.0))
            randomParts.insert(match.1.prefix(13))  // each half of the 26 comes from a word of its own
            randomParts.insert(match.1.suffix(13))
        }
        #expect(ids.count == 1_000)
        #expect(randomParts.count == 2_000)  // no word of a block was handed out twice
    }
}
