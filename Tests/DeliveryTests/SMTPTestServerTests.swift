import Foundation
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The test SMTP server does what the delivery tests rely on: it captures what a libcurl
/// client sends, speaks TLS and AUTH as told, and misbehaves exactly when scripted.
/// The client is the curl command line, which goes through the same libcurl as the product.
@Suite("Test SMTP server")
struct SMTPTestServerTests {
    static let sender = "jarjestotyo@pohde.example.fi"
    static let member = "pia.kangas@example.fi"
    static let otherMember = "toimisto@oulunensikoti.example.fi"

    /// A JYRY invitation with UTF-8 text and a line starting with a dot (SMTP must carry it unchanged).
    static let invitation = [
        "From: Järjestötyön koordinaattori <\(sender)>",
        "To: Pia Kangas <\(member)>",
        "Subject: =?UTF-8?Q?Kutsu:_J=C3=A4rjest=C3=B6yhteisty=C3=B6ryhm=C3=A4_JYRY?=",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=utf-8",
        "Content-Transfer-Encoding: 8bit",
        "",
        "Hei Pia,",
        "",
        "Järjestöyhteistyöryhmä JYRY kokoontuu torstaina 12.3. klo 13–15.",
        ".Tämä rivi alkaa pisteellä.",
        "",
        "Ystävällisin terveisin",
        "Oulun ensi- ja turvakoti ry",
    ].joined(separator: "\r\n") + "\r\n"

    @Test("captures a plain message byte for byte, with envelope and events")
    func capturesPlainMessage() async throws {
        try await withSMTPTestServer { server in
            let result = try await Curl.send(to: server, recipients: [Self.member, Self.otherMember])
            #expect(result.status == 0, "\(result.standardError)")

            let messages = try server.messages()
            try #require(messages.count == 1)
            #expect(messages[0].mailFrom == Self.sender)
            #expect(messages[0].recipients == [Self.member, Self.otherMember])
            #expect(messages[0].data == Array(Self.invitation.utf8))
            #expect(messages[0].tls == false)
            #expect(messages[0].user == nil)

            let events = try await server.waitForEvents { $0.contains { $0.kind == .disconnect } }
            #expect(events.map(\.kind) == [.connect, .ehlo, .mail, .rcpt, .rcpt, .data, .quit, .disconnect])
            #expect(events.first { $0.kind == .data }?.message == messages[0].sequence)
            #expect(events.filter { $0.kind == .rcpt }.compactMap(\.address) == [Self.member, Self.otherMember])
        }
    }

    @Test("STARTTLS with the test CA and AUTH: the message records TLS and the user; a wrong password gets 535")
    func starttlsAndAuthentication() async throws {
        let authority = try TestCertificateAuthority.shared()
        var options = SMTPTestServer.Options.starttls(authority)
        options.auth = .init(username: "tiedotin", password: "Kesä-2025!")
        options.authRequired = true
        try await withSMTPTestServer(options) { server in
            let tls = ["--ssl-reqd", "--cacert", authority.caFile]
            let good = try await Curl.send(to: server, recipients: [Self.member], extra: tls + ["--user", "tiedotin:Kesä-2025!"])
            #expect(good.status == 0, "\(good.standardError)")
            let bad = try await Curl.send(to: server, recipients: [Self.member], extra: tls + ["--user", "tiedotin:arvaus"])
            #expect(bad.status == 67, "curl reports login denied: \(bad.standardError)")

            let messages = try server.messages()
            #expect(messages.map(\.tls) == [true])
            #expect(messages.map(\.user) == ["tiedotin"])
            let authentications = try server.events().filter { $0.kind == .auth }
            #expect(authentications.map(\.replyCode) == [235, 535])
            #expect(authentications.allSatisfy { $0.tls && $0.user == "tiedotin" })
        }
    }

    @Test("require_starttls refuses MAIL in plaintext with 530 and accepts it after STARTTLS")
    func requireStarttlsRefusesPlaintext() async throws {
        let authority = try TestCertificateAuthority.shared()
        try await withSMTPTestServer(.starttls(authority, required: true)) { server in
            let plain = try await Curl.send(to: server, recipients: [Self.member])
            #expect(plain.status != 0)
            let secure = try await Curl.send(to: server, recipients: [Self.member], extra: ["--ssl-reqd", "--cacert", authority.caFile])
            #expect(secure.status == 0, "\(secure.standardError)")

            let mails = try server.events().filter { $0.kind == .mail }
            #expect(mails.map(\.replyCode) == [530, 250])
            #expect(mails.map(\.tls) == [false, true])
            #expect(try server.messages().map(\.tls) == [true])
        }
    }

    @Test("a client that does not trust the certificate fails the STARTTLS handshake, and the log shows it")
    func untrustedCertificate() async throws {
        try await withSMTPTestServer(.starttls(try TestCertificateAuthority.shared())) { server in
            let result = try await Curl.send(to: server, recipients: [Self.member], extra: ["--ssl-reqd"])
            #expect(result.status == 60, "curl: certificate problem: \(result.standardError)")
            let events = try await server.waitForEvents { $0.contains { $0.kind == .disconnect } }
            let handshake = try #require(events.first { $0.kind == .starttls })
            #expect(handshake.interrupted && !handshake.tls)
            #expect(try server.messages().isEmpty)
        }
    }

    @Test("implicit TLS: the URL is smtps:// and the session is encrypted from the start")
    func implicitTLS() async throws {
        let authority = try TestCertificateAuthority.shared()
        try await withSMTPTestServer(.implicitTLS(authority)) { server in
            #expect(server.url.absoluteString == "smtps://127.0.0.1:\(server.port)")
            let result = try await Curl.send(to: server, recipients: [Self.member], extra: ["--cacert", authority.caFile])
            #expect(result.status == 0, "\(result.standardError)")
            #expect(try server.messages().map(\.tls) == [true])
            #expect(try server.events().first?.tls == true)
        }
    }

    @Test("XOAUTH2: a good bearer token logs in, a bad one gets Gmail's 334 error challenge")
    func xoauth2() async throws {
        let authority = try TestCertificateAuthority.shared()
        var options = SMTPTestServer.Options.implicitTLS(authority)
        options.auth = .init(username: "tiedotin@pohde.example.fi", bearerToken: "ya29.voimassa")
        options.authRequired = true
        try await withSMTPTestServer(options) { server in
            let login = ["--cacert", authority.caFile, "--user", "tiedotin@pohde.example.fi", "--oauth2-bearer"]
            let good = try await Curl.send(to: server, recipients: [Self.member], extra: login + ["ya29.voimassa"])
            #expect(good.status == 0, "\(good.standardError)")
            let bad = try await Curl.send(to: server, recipients: [Self.member], extra: login + ["ya29.vanhentunut"])
            #expect(bad.status == 67, "\(bad.standardError)")

            #expect(try server.messages().map(\.user) == ["tiedotin@pohde.example.fi"])
            // The refused attempt is logged once the server notices curl hung up on its challenge.
            let events = try await server.waitForEvents { $0.filter { $0.kind == .auth }.count == 2 }
            let authentications = events.filter { $0.kind == .auth }
            #expect(authentications.map(\.mechanism) == ["XOAUTH2", "XOAUTH2"])
            #expect(authentications.map(\.replyCode) == [235, 334])
        }
    }

    @Test("a rejected recipient gets exactly the scripted answer; the others still receive the message")
    func rejectedRecipient() async throws {
        let gone = "poistunut@example.fi"
        let answer = "550 5.1.1 <\(gone)>: Recipient address rejected: User unknown"
        var options = SMTPTestServer.Options()
        options.rejectRecipients = [gone: answer]
        try await withSMTPTestServer(options) { server in
            let result = try await Curl.send(to: server, recipients: [Self.member, gone], extra: ["--mail-rcpt-allowfails"])
            #expect(result.status == 0, "\(result.standardError)")

            #expect(try server.messages().map(\.recipients) == [[Self.member]])
            let answers = try server.events().filter { $0.kind == .rcpt }.map { [$0.address, $0.reply] }
            #expect(answers == [[Self.member, "250 2.1.5 Ok"], [gone, answer]])
        }
    }

    @Test("a temporary failure answers the first attempt, then the retry is accepted",
          arguments: [SMTPTestServer.Stage.mail, .rcpt, .data, .dataEnd])
    func temporaryFailureThenSuccess(stage: SMTPTestServer.Stage) async throws {
        var options = SMTPTestServer.Options()
        let recipient = stage == .mail ? nil : Self.member
        options.temporaryFailures = [.init(stage: stage, times: 1, recipient: recipient)]
        try await withSMTPTestServer(options) { server in
            let first = try await Curl.send(to: server, recipients: [Self.member])
            #expect(first.status != 0)
            #expect(try server.messages().isEmpty)

            let retry = try await Curl.send(to: server, recipients: [Self.member])
            #expect(retry.status == 0, "\(retry.standardError)")
            #expect(try server.messages().count == 1)
            let (kind, accepted): (SMTPEvent.Kind, String) = switch stage {
            case .mail: (.mail, "250 2.1.0 Ok")
            case .rcpt: (.rcpt, "250 2.1.5 Ok")
            default: (.data, "250 2.0.0 Ok: queued as 000001")
            }
            let answers = try server.events().filter { $0.kind == kind }.compactMap(\.reply)
            #expect(answers == ["451 4.3.0 Temporary local problem", accepted])
        }
    }

    @Test("throttle answers MAIL with the relay's rate-limit reply, then lets the next one through")
    func throttle() async throws {
        var options = SMTPTestServer.Options()
        options.throttle = .init(reply: "432 4.3.2 Concurrent connections limit exceeded", times: 1)
        try await withSMTPTestServer(options) { server in
            let throttled = try await Curl.send(to: server, recipients: [Self.member])
            let retry = try await Curl.send(to: server, recipients: [Self.member])
            #expect(throttled.status != 0)
            #expect(retry.status == 0, "\(retry.standardError)")
            #expect(try server.events().filter { $0.kind == .mail }.map(\.replyCode) == [432, 250])
            #expect(try server.messages().count == 1)
        }
    }

    @Test("close_after: after K messages on a connection the next command gets 421 and the connection closes")
    func closesWith421AfterKMessages() async throws {
        var options = SMTPTestServer.Options()
        options.closeAfter = .init(messages: 2)
        try await withSMTPTestServer(options) { server in
            // Four transfers in one curl run share a connection, as the product's reused handle does.
            let result = try await Curl.send(to: server, recipients: [Self.member], transfers: 4)
            #expect(result.standardError.contains("MAIL failed: 421"), "\(result.standardError)")

            let messages = try server.messages()
            try #require(messages.count == 3)
            #expect(messages[0].connection == messages[1].connection)
            #expect(messages[2].connection != messages[0].connection)
            let closes = try server.events().filter { $0.kind == .close }
            #expect(closes.map(\.reply) == ["421 4.3.2 Service shutting down"])
            #expect(closes.first?.command == "MAIL")
            #expect(closes.first?.connection == messages[0].connection)
        }
    }

    @Test("drop_during_data resets the connection before the final dot is answered; nothing is captured")
    func dropDuringData() async throws {
        var options = SMTPTestServer.Options()
        options.dropDuringData = .init(times: 1)
        try await withSMTPTestServer(options) { server in
            let dropped = try await Curl.send(to: server, recipients: [Self.member])
            #expect([55, 56].contains(dropped.status), "\(dropped.standardError)")
            #expect(try server.messages().isEmpty)

            let retry = try await Curl.send(to: server, recipients: [Self.member])
            #expect(retry.status == 0, "\(retry.standardError)")
            #expect(try server.messages().count == 1)
            let events = try server.events()
            #expect(events.filter { $0.kind == .drop }.map(\.stage) == [.data])
            #expect(events.filter { $0.kind == .data }.map(\.replyCode) == [250])
        }
    }

    @Test("a delay at the final dot makes a client time out, yet the server keeps the message")
    func delayProvokesClientTimeout() async throws {
        var options = SMTPTestServer.Options()
        options.delays = [.init(stage: .dataEnd, seconds: 1.5, times: 1)]
        try await withSMTPTestServer(options) { server in
            let result = try await Curl.send(to: server, recipients: [Self.member], extra: ["--max-time", "0.5"])
            #expect(result.status == 28, "curl timed out: \(result.standardError)")
            // What makes duplicates possible: the client gave up, the relay delivered anyway.
            let messages = try await server.waitForMessages(count: 1)
            #expect(messages.count == 1)
            #expect(try server.events().contains { $0.kind == .delay && $0.stage == .dataEnd })
        }
    }

    @Test("the event log records the peak of concurrent connections; max_connections refuses the extra one")
    func concurrentConnections() async throws {
        var options = SMTPTestServer.Options()
        options.maxConnections = .init(limit: 1)
        // Long enough for a second curl to start on a machine busy with the rest of the suite
        // (4 s was not, under a parallel full run on two cores).
        options.delays = [.init(stage: .dataEnd, seconds: 12, times: 1)]
        try await withSMTPTestServer(options) { server in
            async let first = Curl.send(to: server, recipients: [Self.member])
            // The second connects while the first is held at the final dot: an event, not a guess at a time.
            _ = try await server.waitForEvents { events in events.contains { $0.kind == .delay } }
            async let second = Curl.send(to: server, recipients: [Self.otherMember])
            let statuses = try await [first.status, second.status]
            #expect(statuses == [0, 8], "curl: weird server reply, the 421 greeting")

            #expect(try server.peakConcurrentConnections() == 2)
            let refusals = try server.events().filter { $0.kind == .refuse }
            #expect(refusals.map(\.reply) == ["421 4.7.0 Too many concurrent connections"])
            #expect(try server.messages().map(\.recipients) == [[Self.member]])
        }
    }

    @Test("restart brings the server back on the same port; while it is down the port refuses connections")
    func restartOnSamePort() async throws {
        let server = try await SMTPTestServer.start()
        #expect(try await Curl.send(to: server, recipients: [Self.member]).status == 0)
        await server.stop()
        #expect(!server.isRunning)
        #expect(try await Curl.send(to: server, recipients: [Self.member]).status == 7, "curl: could not connect")

        try await server.restart()
        #expect(server.isRunning)
        #expect(try await Curl.send(to: server, recipients: [Self.member]).status == 0)
        await server.stop()

        let messages = try server.messages()
        #expect(messages.map(\.sequence) == [1, 2])
        #expect(messages[1].connection > messages[0].connection)
    }

    @Test("stop() frees the port: nothing listens there afterwards")
    func stopFreesThePort() async throws {
        let port = try await withSMTPTestServer { server in
            #expect(!canBind(port: server.port))
            let result = try await Curl.send(to: server, recipients: [Self.member])
            #expect(result.status == 0, "\(result.standardError)")
            return server.port
        }
        #expect(canBind(port: port))
    }

    @Test("a server object that goes away without stop() takes its process and folder with it")
    func releasingTheServerStopsIt() async throws {
        var server: SMTPTestServer? = try await SMTPTestServer.start()
        let port = try #require(server?.port)
        let directory = try #require(server?.directory)
        server = nil

        let deadline = ContinuousClock.now + .seconds(5)
        while !canBind(port: port) && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(canBind(port: port))
        #expect(!FileManager.default.fileExists(atPath: directory.path))
    }
}

/// The curl command line as a tiny SMTP client: it goes through libcurl, like the product.
private enum Curl {
    struct Result {
        var status: Int32
        var standardError: String
    }

    /// Sends `SMTPTestServerTests.invitation` `transfers` times over one curl run.
    static func send(
        to server: SMTPTestServer,
        from sender: String = SMTPTestServerTests.sender,
        recipients: [String],
        transfers: Int = 1,
        extra: [String] = []
    ) async throws -> Result {
        let message = server.directory.appendingPathComponent("outgoing-\(UUID().uuidString).eml")
        try Data(SMTPTestServerTests.invitation.utf8).write(to: message)
        var transfer = ["--url", server.url.absoluteString, "--mail-from", sender, "--upload-file", message.path]
        transfer += recipients.flatMap { ["--mail-rcpt", $0] }
        transfer += extra
        let arguments = Array(Array(repeating: transfer, count: transfers).joined(separator: ["--next"]))
        return try await run(["--silent", "--show-error", "--connect-timeout", "5"] + arguments, in: server.directory)
    }

    /// Runs curl without blocking a thread of the cooperative pool while it works.
    static func run(_ arguments: [String], in directory: URL) async throws -> Result {
        let result = try await ChildProcess.runAsync("/usr/bin/curl", arguments)
        return Result(status: result.status, standardError: result.errors)
    }
}

/// Whether a new socket can bind 127.0.0.1:port, i.e. no server listens there.
/// SO_REUSEADDR: connections in TIME_WAIT from the test's own sessions must not count.
private func canBind(port: Int) -> Bool {
    #if canImport(Glibc)
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    #else
    let descriptor = socket(AF_INET, SOCK_STREAM, 0)
    #endif
    guard descriptor >= 0 else { return false }
    defer { close(descriptor) }
    var reuse: Int32 = 1
    setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    return withUnsafePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
        }
    }
}
