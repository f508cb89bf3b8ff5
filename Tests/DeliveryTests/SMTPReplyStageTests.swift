import Foundation
import Testing
import TestSupport
@testable import TiedotinCore

/// A message on a reused connection goes without libcurl's debug stream, so which command a
/// refusal answered is known from the order of the replies (`SMTPConversation`). These send a
/// first message that goes through, then a second on the same connection that the server refuses
/// at one command, and check that the refusal is told with its command, code and words, never
/// with the answer to libcurl's own QUIT.
@Suite(.serialized) struct SMTPReplyStageTests {
    static let envelope = Envelope(sender: "jarjestotyo@pohde.example.fi", recipient: "pia.kangas@example.fi")
    static let refused = Envelope(sender: "jarjestotyo@pohde.example.fi", recipient: "heidi.lotjonen@example.fi")
    static let message = MessageBytes(
        header: Array("From: jarjestotyo@pohde.example.fi\r\nSubject: Aamukahvit\r\n".utf8),
        body: Array("\r\nTervetuloa järjestöjen aamukahveille!\r\n".utf8))

    struct Refusal: Sendable, CustomTestStringConvertible {
        var stage: SMTPTestServer.Stage
        var reply: String
        var expected: SMTPStage
        var testDescription: String { "\(reply) at \(stage.rawValue)" }
    }

    static let refusals: [Refusal] = [
        Refusal(stage: .rcpt, reply: "550 5.1.1 <heidi.lotjonen@example.fi>: Recipient address rejected: User unknown", expected: .recipient),
        Refusal(stage: .rcpt, reply: "452 4.2.2 Mailbox full", expected: .recipient),
        Refusal(stage: .data, reply: "554 5.5.1 No valid recipients", expected: .data),
        Refusal(stage: .dataEnd, reply: "554 5.7.1 Message rejected as spam", expected: .data),
        Refusal(stage: .dataEnd, reply: "451 4.3.0 Temporary local problem", expected: .data),
    ]

    /// Starts a server with `options`, sends one message that goes through on a new connection and
    /// runs `body` with the server and that connection, which is then reused.
    static func afterOneMessage(
        _ options: SMTPTestServer.Options, password: String? = nil,
        _ body: (SMTPTestServer, any TransportConnection) async throws -> Void
    ) async throws {
        try await withSMTPTestServer(options) { server in
            let transport = SMTPTransport(settings: .init(
                url: server.url, startTLS: .off, username: password == nil ? nil : "tiedotin@pohde.example.fi", password: password,
                caFile: nil, timeout: .seconds(5), heloName: "pohde.example.fi"))
            let connection = transport.makeConnection()
            defer { connection.close() }
            #expect(connection.send(Self.envelope, message: Self.message).failure == nil)
            try await body(server, connection)
        }
    }

    @Test(arguments: refusals)
    func aRefusalOnAReusedConnectionIsToldWithItsCommand(_ refusal: Refusal) async throws {
        var options = SMTPTestServer.Options()
        options.temporaryFailures = [.init(stage: refusal.stage, reply: refusal.reply, times: nil, recipient: Self.refused.recipient)]
        try await Self.afterOneMessage(options) { server, connection in
            let outcome = connection.send(Self.refused, message: Self.message)
            #expect(outcome.reusedConnection)
            #expect(outcome.failure == .refused, "\(outcome)")
            #expect(outcome.stage == refusal.expected, "\(outcome)")
            #expect(outcome.replyCode == Int(refusal.reply.prefix(3)), "\(outcome)")
            #expect(outcome.reply == refusal.reply, "\(outcome)")
            // The connection goes on to the next message, and it is told as sent with the relay's answer.
            let after = connection.send(Self.envelope, message: Self.message)
            #expect(after.failure == nil, "\(after)")
            #expect(after.replyCode == 250)
            #expect(after.reply?.hasPrefix("250 ") == true, "\(after)")
            let arrived = try server.messages()
            #expect(arrived.map(\.recipients) == [[Self.envelope.recipient], [Self.envelope.recipient]])
        }
    }

    /// 421 to MAIL: the relay is going away. libcurl then says QUIT and the server answers 221;
    /// the 421 is what the message gets.
    @Test func aRelayClosingAtMailOnAReusedConnectionIsToldAtMail() async throws {
        var options = SMTPTestServer.Options()
        options.closeAfter = .init(messages: 1, reply: "421 4.3.2 Service shutting down", connections: 1)
        try await Self.afterOneMessage(options) { server, connection in
            let outcome = connection.send(Self.envelope, message: Self.message)
            #expect(outcome.reusedConnection)
            #expect(outcome.stage == .mailFrom, "\(outcome)")
            #expect(outcome.replyCode == 421, "\(outcome)")
            #expect(outcome.reply == "421 4.3.2 Service shutting down", "\(outcome)")
            #expect(connection.send(Self.envelope, message: Self.message).failure == nil)
            let arrived = try server.messages()
            #expect(arrived.count == 2)
        }
    }

    /// A relay that went away between messages is logged in to again by libcurl inside the next
    /// message, where nothing shows which set-up command failed. The message is then tried once
    /// more on a new connection, which does show it: a refused login is told at AUTH (which is
    /// what makes XOAUTH2 fetch a new token), not somewhere before MAIL.
    @Test func aLoginRefusedWhenLibcurlReconnectsUnseenIsToldAtAuthentication() async throws {
        var options = SMTPTestServer.Options()
        options.auth = .init(username: "tiedotin@pohde.example.fi", password: "vanha-salasana")
        options.authRequired = true
        try await Self.afterOneMessage(options, password: "vanha-salasana") { server, connection in
            var changed = options
            changed.auth = .init(username: "tiedotin@pohde.example.fi", password: "uusi-salasana")
            try await server.restart(changed)
            let outcome = connection.send(Self.envelope, message: Self.message)
            #expect(outcome.failure == .loginRefused, "\(outcome)")
            #expect(outcome.stage == .authentication, "\(outcome)")
            #expect(outcome.replyCode == 535, "\(outcome)")
            #expect(try server.messages().count == 1)
        }
    }

    /// A conversation whose message has started, as libcurl's pre-request callback leaves it.
    static func messageStarted() -> SMTPConversation {
        let conversation = SMTPConversation()
        conversation.reset()
        conversation.messageStarting()
        return conversation
    }

    /// One reply line, as libcurl's header callback would hand it over.
    static func receive(_ line: String, in conversation: SMTPConversation) {
        Array(line.utf8).withUnsafeBufferPointer { conversation.replyReceived($0) }
    }

    /// A refusal of several lines (Gmail's unknown-user answer) is kept whole, its lines joined by
    /// spaces, with the stage it answered; the positive one-line replies before it move the
    /// stage on, and libcurl's QUIT after it changes nothing.
    @Test func aRefusalOfSeveralLinesIsKeptWholeWithItsStage() {
        let conversation = Self.messageStarted()
        func receive(_ line: String) { Self.receive(line, in: conversation) }
        receive("250 2.1.0 OK\r\n")
        #expect(conversation.lastStage == .recipient)
        #expect(conversation.lastReply == "250 2.1.0 OK")
        receive("550-5.1.1 The email account that you tried to reach does not exist. Please try\r\n")
        receive("550-5.1.1 double-checking the recipient's email address for typos or\r\n")
        #expect(conversation.lastReply == "250 2.1.0 OK", "a reply is not the last one before its last line")
        receive("550 5.1.1 unnecessary spaces. https://support.google.com/mail/?p=NoSuchUser\r\n")
        #expect(conversation.lastReply == """
            550-5.1.1 The email account that you tried to reach does not exist. Please try \
            550-5.1.1 double-checking the recipient's email address for typos or \
            550 5.1.1 unnecessary spaces. https://support.google.com/mail/?p=NoSuchUser
            """)
        #expect(conversation.lastReplyCode == 550)
        #expect(conversation.lastStage == .recipient)
        receive("221 2.0.0 closing connection\r\n")
        #expect(conversation.lastReplyCode == 550)
    }

    /// A hostile or broken relay's reply longer than the kept buffer (here 40 lines of 500 bytes,
    /// 20 KB) keeps its beginning, with its code and stage, and the next message's one-line reply
    /// is kept whole again.
    @Test func aReplyLongerThanTheBufferKeepsItsBeginning() {
        let conversation = Self.messageStarted()
        func receive(_ line: String) { Self.receive(line, in: conversation) }
        let filler = String(repeating: "x", count: 490)
        for index in 0..<39 { receive("550-5.7.1 \(index % 10)\(filler)\r\n") }
        receive("550 5.7.1 the end\r\n")
        let kept = conversation.lastReply ?? ""
        #expect(kept.utf8.count == SMTPConversation.replyCapacity)
        #expect(kept.hasPrefix("550-5.7.1 0xxx"))
        #expect(!kept.contains("the end"))
        #expect(conversation.lastReplyCode == 550)
        #expect(conversation.lastStage == .mailFrom)

        conversation.reset()
        conversation.messageStarting()
        receive("250 2.1.0 Sender OK\r\n")
        #expect(conversation.lastReply == "250 2.1.0 Sender OK")
        #expect(conversation.lastStage == .recipient)
    }

    /// The recipient list handed to libcurl holds `<address>` with its terminating zero, for an
    /// address longer than the list's first buffer and for a short one after it.
    @Test func theRecipientListHoldsEachAddressWhole() {
        let list = RecipientList()
        let long = String(repeating: "pitka.osoite.", count: 30) + "jasen@yhdistys.example.fi"
        var node = list.holding(long)
        #expect(String(cString: node.pointee.data) == "<\(long)>")
        #expect(node.pointee.next == nil)
        node = list.holding("pia.kangas@example.fi")
        #expect(String(cString: node.pointee.data) == "<pia.kangas@example.fi>")
    }
}
