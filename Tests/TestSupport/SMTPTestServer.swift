import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A real SMTP server on 127.0.0.1 (`smtp_server.py`, aiosmtpd, run by the project's `.venv`
/// Python) that a test starts, scripts to misbehave, reads what it received from, and stops.
///
/// Every accepted message is kept as a file (`messages()`), every SMTP event is logged
/// (`events()`). The process is stopped by `stop()`, by `withSMTPTestServer`, when the server
/// object goes away, or by itself when the test process dies.
public final class SMTPTestServer: Sendable {
    /// The TCP port on 127.0.0.1; the same after `restart`.
    public let port: Int
    /// The server's own folder: options, captured messages, event log, its standard error.
    public let directory: URL
    private let running: RunningProcess

    private var captureDirectory: URL { directory.appendingPathComponent("messages") }
    private var eventsFile: URL { directory.appendingPathComponent("events.jsonl") }

    private init(port: Int, directory: URL, running: RunningProcess) {
        self.port = port
        self.directory = directory
        self.running = running
    }

    deinit {
        if let process = running.take(), process.isRunning {
            process.terminate()
        }
        try? FileManager.default.removeItem(at: directory)
    }

    /// Starts a server with `options` on a free port; returns once it accepts connections.
    public static func start(_ options: Options = Options(), timeout: Duration = .seconds(20)) async throws -> SMTPTestServer {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("tiedotin-smtp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        do {
            let (process, port) = try await launch(options, port: 0, in: directory, timeout: timeout)
            return SMTPTestServer(port: port, directory: directory, running: RunningProcess(process, options: options))
        } catch {
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
    }

    /// `smtp://127.0.0.1:PORT`, or `smtps://` when the server speaks TLS from the first byte.
    public var url: URL {
        URL(string: "\(running.options.implicitTLS ? "smtps" : "smtp")://127.0.0.1:\(port)")!
    }

    /// The lines under a config's `mail:` (indented by two) that send to this server: plain SMTP,
    /// no login, a short timeout.
    public var mailConfig: String {
        """
          transport: smtp
          smtp:
            url: \(url.absoluteString)
            starttls: off
            auth: none
            timeout: 5s
        """
    }

    /// The options the server runs with (the latest given to `start` or `restart`).
    public var options: Options { running.options }

    /// Whether the server process is running (false after `stop`).
    public var isRunning: Bool { running.process?.isRunning ?? false }

    /// Stops the server (SIGTERM, then SIGKILL after 5 s) and waits until it is gone, so the
    /// port refuses connections when this returns. Captured messages and events stay readable.
    public func stop() async {
        guard let process = running.take() else { return }
        await PythonServerProcess.stop(process)
    }

    /// Stops the server if it runs and starts it again on the same port, with new options if
    /// given. Messages and events of the earlier run stay; sequence and connection numbers go
    /// on from them. Fault counters (`times`) start again from zero.
    public func restart(_ options: Options? = nil, timeout: Duration = .seconds(20)) async throws {
        await stop()
        let options = options ?? running.options
        let (process, port) = try await Self.launch(options, port: port, in: directory, timeout: timeout)
        running.replace(process, options: options)
        if port != self.port {
            await stop()
            throw SMTPTestServerError.portChanged(expected: self.port, actual: port)
        }
    }

    // MARK: - What the server received

    /// Every message the server accepted (250 after the final dot), oldest first.
    public func messages() throws -> [CapturedMessage] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: captureDirectory.path)) ?? []
        let decoder = JSONDecoder()
        return try names
            .filter { $0.hasSuffix(".eml") && !$0.hasPrefix(".") }
            .sorted()
            .map { name in
                let message = captureDirectory.appendingPathComponent(name)
                let sidecar = message.deletingPathExtension().appendingPathExtension("json")
                do {
                    let envelope = try decoder.decode(CapturedEnvelope.self, from: Data(contentsOf: sidecar))
                    return CapturedMessage(envelope: envelope, data: [UInt8](try Data(contentsOf: message)))
                } catch {
                    throw SMTPTestServerError.unreadableCapture(file: message.path, reason: "\(error)")
                }
            }
    }

    /// Every event the server logged, in order (across restarts).
    public func events() throws -> [SMTPEvent] {
        guard let data = FileManager.default.contents(atPath: eventsFile.path) else { return [] }
        let decoder = JSONDecoder()
        let lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true)
        // A line without its newline is still being written: leave it for the next read.
        let complete = data.last == UInt8(ascii: "\n") ? lines[...] : lines.dropLast()
        return try complete.map { line in
            do {
                return try decoder.decode(SMTPEvent.self, from: Data(line))
            } catch {
                throw SMTPTestServerError.unreadableEvent(line: String(decoding: line, as: UTF8.self), reason: "\(error)")
            }
        }
    }

    /// The most connections the server had open at once.
    public func peakConcurrentConnections() throws -> Int {
        try events().compactMap(\.peak).max() ?? 0
    }

    /// Waits until at least `count` messages have arrived and returns them all.
    public func waitForMessages(count: Int, timeout: Duration = .seconds(10)) async throws -> [CapturedMessage] {
        try await poll(timeout: timeout, waitingFor: "\(count) messages") {
            let messages = try self.messages()
            return messages.count >= count ? messages : nil
        }
    }

    /// Waits until `condition` holds for the event log and returns the log. Events that follow a
    /// client's own action (a disconnect after QUIT) may land a moment after the client returns.
    public func waitForEvents(
        timeout: Duration = .seconds(10),
        until condition: @Sendable ([SMTPEvent]) -> Bool
    ) async throws -> [SMTPEvent] {
        try await poll(timeout: timeout, waitingFor: "events matching the condition") {
            let events = try self.events()
            return condition(events) ? events : nil
        }
    }

    private func poll<Value>(
        timeout: Duration, waitingFor what: String, _ attempt: () throws -> Value?
    ) async throws -> Value {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let value = try attempt() { return value }
            guard ContinuousClock.now < deadline else {
                throw SMTPTestServerError.waitTimedOut(what: what, timeout: timeout)
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    // MARK: - Launching the Python process

    private static let supportDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    private static let script = supportDirectory.appendingPathComponent("smtp_server.py")

    private static func launch(
        _ options: Options, port: Int, in directory: URL, timeout: Duration
    ) async throws -> (ChildProcess, Int) {
        let configuration = LaunchConfiguration(
            options: options,
            captureDirectory: directory.appendingPathComponent("messages").path,
            eventsFile: directory.appendingPathComponent("events.jsonl").path,
            port: port
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        let configurationFile = directory.appendingPathComponent("options.json")
        try encoder.encode(configuration).write(to: configurationFile)
        do {
            return try await PythonServerProcess.launch(
                script: script, optionsFile: configurationFile, timeout: timeout)
        } catch {
            switch error {
            case .pythonMissing(let path): throw SMTPTestServerError.pythonMissing(path: path)
            case .startFailed(let status, let output, let standardError):
                throw SMTPTestServerError.startFailed(status: status, output: output, standardError: standardError)
            case .startTimedOut(let timeout, let standardError):
                throw SMTPTestServerError.startTimedOut(timeout: timeout, standardError: standardError)
            }
        }
    }
}

/// Runs `body` with a server started with `options` and stops the server afterwards, also
/// when `body` throws, so that a failing test leaves no server behind.
public func withSMTPTestServer<Value>(
    _ options: SMTPTestServer.Options = SMTPTestServer.Options(),
    isolation: isolated (any Actor)? = #isolation,
    _ body: (SMTPTestServer) async throws -> Value
) async throws -> Value {
    let server = try await SMTPTestServer.start(options)
    do {
        let value = try await body(server)
        await server.stop()
        return value
    } catch {
        await server.stop()
        throw error
    }
}

// MARK: - Options

extension SMTPTestServer {
    /// Where in an SMTP session a scripted fault acts.
    public enum Stage: String, Codable, Sendable, Hashable {
        /// Before the greeting.
        case connect
        /// Before any command is processed, whatever it is (where `closeAfter` acts).
        case command
        /// The EHLO or HELO command.
        case ehlo
        /// MAIL FROM.
        case mail
        /// RCPT TO.
        case rcpt
        /// The DATA command itself, before its 354.
        case data
        /// After the final dot, before the answer to it.
        case dataEnd = "data_end"
    }

    /// What the server offers and how it misbehaves; encodes to the JSON `smtp_server.py` reads.
    /// Replies are full SMTP answers, code first: `"451 4.3.0 Temporary local problem"`.
    public struct Options: Codable, Sendable, Equatable {
        /// The name in the greeting and the EHLO answer.
        public var hostname = "mail.example.fi"
        /// PEM certificate for STARTTLS and implicit TLS (see `TestCertificateAuthority`).
        public var certificateFile: String?
        /// PEM private key for `certificateFile`.
        public var keyFile: String?
        /// Offer STARTTLS.
        public var starttls = false
        /// Refuse every command but EHLO, HELO, NOOP, RSET, STARTTLS and QUIT before STARTTLS with
        /// `530 5.7.0 Must issue a STARTTLS command first`.
        public var requireStarttls = false
        /// TLS from the first byte (smtps, port 465 style); `url` becomes `smtps://`.
        public var implicitTLS = false
        /// Offer AUTH with these credentials; nil: no AUTH at all.
        public var auth: Authentication?
        /// Refuse MAIL, RCPT and DATA before a successful AUTH with `530 5.7.0 Authentication required`.
        public var authRequired = false
        /// Neither offer nor accept AUTH before TLS (`538 5.7.11`).
        public var authRequiresTLS = false
        /// Advertise SMTPUTF8.
        public var smtputf8 = true
        /// Seconds of client silence before the server hangs up; nil: 300.
        public var idleTimeout: Double?
        /// The RCPT answer for these addresses (compared case-insensitively), e.g.
        /// `["poistunut@example.fi": "550 5.1.1 <poistunut@example.fi>: Recipient address rejected: User unknown"]`.
        public var rejectRecipients: [String: String] = [:]
        /// Answers that fail the first `times` attempts at a stage, then let them pass.
        public var temporaryFailures: [TemporaryFailure] = []
        /// Answer MAIL with a rate-limit reply for the first `times` transactions.
        public var throttle: Throttle?
        /// End connections with 421 after some accepted messages.
        public var closeAfter: CloseAfter?
        /// Reset the TCP connection in the middle of DATA.
        public var dropDuringData: DropDuringData?
        /// Waits before answering, to provoke client timeouts.
        public var delays: [Delay] = []
        /// Refuse connections beyond a number open at once (the peak is logged either way).
        public var maxConnections: ConnectionLimit?

        /// A plain server: no TLS, no AUTH, no faults.
        public init() {}

        /// A server offering STARTTLS with the authority's certificate (and requiring it if asked).
        public static func starttls(_ authority: TestCertificateAuthority, required: Bool = false) -> Options {
            var options = Options()
            options.certificateFile = authority.certificateFile
            options.keyFile = authority.keyFile
            options.starttls = true
            options.requireStarttls = required
            return options
        }

        /// A server speaking TLS from the first byte with the authority's certificate.
        public static func implicitTLS(_ authority: TestCertificateAuthority) -> Options {
            var options = Options()
            options.certificateFile = authority.certificateFile
            options.keyFile = authority.keyFile
            options.implicitTLS = true
            return options
        }

        enum CodingKeys: String, CodingKey {
            case hostname
            case certificateFile = "certificate_file"
            case keyFile = "key_file"
            case starttls
            case requireStarttls = "require_starttls"
            case implicitTLS = "implicit_tls"
            case auth
            case authRequired = "auth_required"
            case authRequiresTLS = "auth_requires_tls"
            case smtputf8
            case idleTimeout = "idle_timeout"
            case rejectRecipients = "reject_recipients"
            case temporaryFailures = "temporary_failures"
            case throttle
            case closeAfter = "close_after"
            case dropDuringData = "drop_during_data"
            case delays
            case maxConnections = "max_connections"
        }
    }

    /// Credentials the server accepts: AUTH PLAIN and LOGIN with the password, XOAUTH2 with
    /// the bearer token. A bad token gets Gmail's answer: a 334 challenge carrying a JSON
    /// error, then `535 5.7.8` once the client answers it.
    public struct Authentication: Codable, Sendable, Equatable {
        public var username: String
        public var password: String?
        public var bearerToken: String?
        /// More tokens XOAUTH2 accepts (tokens a test token endpoint issues).
        public var bearerTokens: [String] = []
        /// How a bad token is refused: Gmail's 334 error challenge, or Microsoft's plain 535.
        public var xoauth2Refusal: XOAUTH2Refusal = .gmail

        public init(username: String, password: String? = nil, bearerToken: String? = nil) {
            self.username = username
            self.password = password
            self.bearerToken = bearerToken
        }

        /// An XOAUTH2 login accepting `tokens`, refusing others as `refusal` says.
        public static func xoauth2(username: String, tokens: [String], refusal: XOAUTH2Refusal) -> Authentication {
            var authentication = Authentication(username: username)
            authentication.bearerTokens = tokens
            authentication.xoauth2Refusal = refusal
            return authentication
        }

        enum CodingKeys: String, CodingKey {
            case username, password
            case bearerToken = "bearer_token"
            case bearerTokens = "bearer_tokens"
            case xoauth2Refusal = "xoauth2_refusal"
        }
    }

    /// How the server refuses a bad XOAUTH2 token.
    public enum XOAUTH2Refusal: String, Codable, Sendable {
        /// `334` with a base64 JSON error, then `535 5.7.8` after the client's empty answer.
        case gmail = "334"
        /// `535 5.7.3 Authentication unsuccessful` at once.
        case microsoft = "535"
    }

    /// Answer `reply` at `stage` for the first `times` matching attempts (nil: always), counted
    /// over the server's life; with `recipient`, only attempts involving that address
    /// (at `.rcpt` that RCPT, at `.data` and `.dataEnd` a transaction including it).
    public struct TemporaryFailure: Codable, Sendable, Equatable {
        public var stage: Stage
        public var reply: String
        public var times: Int?
        public var recipient: String?

        public init(stage: Stage, reply: String = "451 4.3.0 Temporary local problem", times: Int? = 1, recipient: String? = nil) {
            self.stage = stage
            self.reply = reply
            self.times = times
            self.recipient = recipient
        }
    }

    /// Answer MAIL with `reply` for the first `times` transactions (nil: always).
    public struct Throttle: Codable, Sendable, Equatable {
        public var reply: String
        public var times: Int?

        public init(reply: String = "450 4.7.0 Rate limit exceeded, try again later", times: Int? = 1) {
            self.reply = reply
            self.times = times
        }
    }

    /// After `messages` accepted messages on a connection, answer the next command (whatever it
    /// is, QUIT too) with `reply` and close the connection; for the first `connections`
    /// connections that get that far (nil: all).
    public struct CloseAfter: Codable, Sendable, Equatable {
        public var messages: Int
        public var reply: String
        public var connections: Int?

        public init(messages: Int, reply: String = "421 4.3.2 Service shutting down", connections: Int? = nil) {
            self.messages = messages
            self.reply = reply
            self.connections = connections
        }
    }

    /// For the first `times` transactions (nil: all), optionally only those including
    /// `recipient`: answer DATA with 354, read `afterBytes` of the message (or up to the final
    /// dot if it is shorter), then reset the TCP connection without answering.
    public struct DropDuringData: Codable, Sendable, Equatable {
        public var times: Int?
        public var afterBytes: Int
        public var recipient: String?

        public init(times: Int? = 1, afterBytes: Int = 1, recipient: String? = nil) {
            self.times = times
            self.afterBytes = afterBytes
            self.recipient = recipient
        }

        enum CodingKeys: String, CodingKey {
            case times
            case afterBytes = "after_bytes"
            case recipient
        }
    }

    /// Wait `seconds` before answering at `stage`, the first `times` times (nil: always);
    /// with `recipient`, only for attempts involving that address.
    public struct Delay: Codable, Sendable, Equatable {
        public var stage: Stage
        public var seconds: Double
        public var times: Int?
        public var recipient: String?

        public init(stage: Stage, seconds: Double, times: Int? = nil, recipient: String? = nil) {
            self.stage = stage
            self.seconds = seconds
            self.times = times
            self.recipient = recipient
        }
    }

    /// Greet a connection beyond `limit` open at once with `reply`, then close it.
    public struct ConnectionLimit: Codable, Sendable, Equatable {
        public var limit: Int
        public var reply: String

        public init(limit: Int, reply: String = "421 4.7.0 Too many concurrent connections") {
            self.limit = limit
            self.reply = reply
        }
    }
}

// MARK: - What tests read

/// One message the server accepted, as it arrived: the bytes after DATA with the SMTP dot
/// transparency undone, CRLF line ends as sent.
public struct CapturedMessage: Sendable, Equatable {
    /// 1, 2, 3, ... in order of acceptance, across restarts.
    public var sequence: Int
    /// The connection it came on (as in `SMTPEvent.connection`).
    public var connection: Int
    /// MAIL FROM address.
    public var mailFrom: String
    /// MAIL FROM parameters, upper-cased (`SIZE=1234`, `BODY=8BITMIME`, `SMTPUTF8`).
    public var mailOptions: [String]
    /// Accepted RCPT TO addresses, in order (rejected ones are not here).
    public var recipients: [String]
    /// The message bytes.
    public var data: [UInt8]
    /// Whether the session was encrypted (STARTTLS or implicit TLS).
    public var tls: Bool
    /// The user that authenticated, if any.
    public var user: String?
    /// When the server accepted it.
    public var receivedAt: Date

    /// The message as UTF-8 text (invalid bytes replaced).
    public var text: String { String(decoding: data, as: UTF8.self) }

    fileprivate init(envelope: CapturedEnvelope, data: [UInt8]) {
        sequence = envelope.sequence
        connection = envelope.connection
        mailFrom = envelope.mailFrom
        mailOptions = envelope.mailOptions
        recipients = envelope.recipients
        self.data = data
        tls = envelope.tls
        user = envelope.user
        receivedAt = Date(timeIntervalSince1970: envelope.time)
    }
}

/// One line of the server's event log: a connection opening or closing, a command with the
/// answer it got, or a scripted fault acting.
///
/// A command's event is written before its final reply is sent, so once a client has seen an
/// answer, its event is in the log. Events the client does not wait for (`disconnect`, and
/// commands `interrupted` by the client hanging up) land a moment later: use
/// `SMTPTestServer.waitForEvents(until:)` for those.
public struct SMTPEvent: Sendable, Equatable, Decodable {
    /// What happened. Commands log as their lower-cased name (`ehlo`, `mail`, `rcpt`, `data`, ...).
    public struct Kind: RawRepresentable, Sendable, Hashable, Decodable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public init(from decoder: any Decoder) throws {
            rawValue = try decoder.singleValueContainer().decode(String.self)
        }
        public var description: String { rawValue }

        /// A client connected (`concurrent`, `peak` say how many were open).
        public static let connect = Kind(rawValue: "connect")
        /// The connection closed, whoever closed it.
        public static let disconnect = Kind(rawValue: "disconnect")
        /// A connection was turned away at the greeting (`maxConnections` or a `.connect` fault).
        public static let refuse = Kind(rawValue: "refuse")
        public static let ehlo = Kind(rawValue: "ehlo")
        public static let helo = Kind(rawValue: "helo")
        /// STARTTLS was answered; `tls` is true if the handshake succeeded, `interrupted` if it failed.
        public static let starttls = Kind(rawValue: "starttls")
        /// An AUTH attempt: `mechanism`, `user`, and the final `reply` (235, 535, ...).
        public static let auth = Kind(rawValue: "auth")
        public static let mail = Kind(rawValue: "mail")
        public static let rcpt = Kind(rawValue: "rcpt")
        /// The DATA command; `reply` is the answer after the final dot (or the refusal of DATA),
        /// `message` the sequence number of the captured message when accepted.
        public static let data = Kind(rawValue: "data")
        public static let rset = Kind(rawValue: "rset")
        public static let noop = Kind(rawValue: "noop")
        public static let quit = Kind(rawValue: "quit")
        /// `closeAfter` answered `command` with `reply` and closed the connection.
        public static let close = Kind(rawValue: "close")
        /// `dropDuringData` (or another drop fault) reset the connection at `stage`.
        public static let drop = Kind(rawValue: "drop")
        /// A scripted delay began at `stage`.
        public static let delay = Kind(rawValue: "delay")
        /// The client was silent for `idleTimeout` and the server hangs up now.
        public static let idleTimeout = Kind(rawValue: "idle_timeout")
    }

    public var kind: Kind
    public var time: Date
    /// Numbered 1, 2, 3, ... in order of connection, across restarts.
    public var connection: Int
    /// Whether the session was encrypted at that moment.
    public var tls: Bool
    /// The server's answer (the last line of a multi-line one).
    public var reply: String?
    /// The address of MAIL FROM or RCPT TO.
    public var address: String?
    /// EHLO/HELO name.
    public var hostname: String?
    /// AUTH mechanism (PLAIN, LOGIN, XOAUTH2).
    public var mechanism: String?
    /// AUTH user, whether or not it succeeded.
    public var user: String?
    /// Sequence number of the message a `data` event accepted.
    public var message: Int?
    /// Connections open after a `connect` or `disconnect`.
    public var concurrent: Int?
    /// The most connections open at once so far.
    public var peak: Int?
    /// Where a fault acted (`close`, `drop`, `delay`).
    public var stage: SMTPTestServer.Stage?
    /// The option a fault came from (`close_after`, `drop_during_data`, `delays`, ...).
    public var fault: String?
    /// The command `closeAfter` answered instead of.
    public var command: String?
    /// The client went away before the command was finished (an AUTH challenge, DATA).
    public var interrupted: Bool

    /// The three-digit code of `reply`.
    public var replyCode: Int? { reply.flatMap { Int($0.prefix(3)) } }

    enum CodingKeys: String, CodingKey {
        case kind = "event"
        case time, connection, tls, reply, address, hostname, mechanism, user, message
        case concurrent, peak, stage, fault, command, interrupted
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        kind = try container.decode(Kind.self, forKey: .kind)
        time = Date(timeIntervalSince1970: try container.decode(Double.self, forKey: .time))
        connection = try container.decodeIfPresent(Int.self, forKey: .connection) ?? 0
        tls = try container.decodeIfPresent(Bool.self, forKey: .tls) ?? false
        reply = try container.decodeIfPresent(String.self, forKey: .reply)
        address = try container.decodeIfPresent(String.self, forKey: .address)
        hostname = try container.decodeIfPresent(String.self, forKey: .hostname)
        mechanism = try container.decodeIfPresent(String.self, forKey: .mechanism)
        user = try container.decodeIfPresent(String.self, forKey: .user)
        message = try container.decodeIfPresent(Int.self, forKey: .message)
        concurrent = try container.decodeIfPresent(Int.self, forKey: .concurrent)
        peak = try container.decodeIfPresent(Int.self, forKey: .peak)
        stage = try container.decodeIfPresent(SMTPTestServer.Stage.self, forKey: .stage)
        fault = try container.decodeIfPresent(String.self, forKey: .fault)
        command = try container.decodeIfPresent(String.self, forKey: .command)
        interrupted = try container.decodeIfPresent(Bool.self, forKey: .interrupted) ?? false
    }
}

/// Why the test SMTP server could not do what a test asked.
public enum SMTPTestServerError: Error, CustomStringConvertible {
    case pythonMissing(path: String)
    case startFailed(status: Int32, output: String, standardError: String)
    case startTimedOut(timeout: Duration, standardError: String)
    case portChanged(expected: Int, actual: Int)
    case unreadableCapture(file: String, reason: String)
    case unreadableEvent(line: String, reason: String)
    case waitTimedOut(what: String, timeout: Duration)

    public var description: String {
        switch self {
        case .pythonMissing(let path):
            return "no Python with aiosmtpd at \(path): run ./scripts/setup.sh"
        case .startFailed(let status, let output, let standardError):
            return "the test SMTP server exited (status \(status)) before it was ready; "
                + "stdout: \(output.isEmpty ? "(nothing)" : output); stderr: \(standardError)"
        case .startTimedOut(let timeout, let standardError):
            return "the test SMTP server was not ready within \(timeout); stderr: \(standardError)"
        case .portChanged(let expected, let actual):
            return "the test SMTP server came back on port \(actual), not \(expected)"
        case .unreadableCapture(let file, let reason):
            return "cannot read captured message \(file): \(reason)"
        case .unreadableEvent(let line, let reason):
            return "cannot read event log line \(line): \(reason)"
        case .waitTimedOut(let what, let timeout):
            return "waited \(timeout) for \(what) from the test SMTP server"
        }
    }
}

// MARK: - Private plumbing

/// The server process and its options; they change on restart, hence the lock.
private final class RunningProcess: @unchecked Sendable {
    private let lock = NSLock()
    private var current: ChildProcess?
    private var currentOptions: Options

    typealias Options = SMTPTestServer.Options

    init(_ process: ChildProcess, options: Options) {
        current = process
        currentOptions = options
    }

    var process: ChildProcess? { lock.withLock { current } }
    var options: Options { lock.withLock { currentOptions } }

    /// Hands the process to the caller (who stops it); nil if there is none.
    func take() -> ChildProcess? {
        lock.withLock {
            defer { current = nil }
            return current
        }
    }

    func replace(_ process: ChildProcess, options: Options) {
        lock.withLock {
            current = process
            currentOptions = options
        }
    }
}

/// The options plus what only the driver knows: where files go and which port to bind.
private struct LaunchConfiguration: Encodable {
    var options: SMTPTestServer.Options
    var captureDirectory: String
    var eventsFile: String
    var port: Int

    enum CodingKeys: String, CodingKey {
        case captureDirectory = "capture_dir"
        case eventsFile = "events_file"
        case port
    }

    func encode(to encoder: any Encoder) throws {
        try options.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(captureDirectory, forKey: .captureDirectory)
        try container.encode(eventsFile, forKey: .eventsFile)
        try container.encode(port, forKey: .port)
    }
}

/// The JSON sidecar `smtp_server.py` writes beside each message.
private struct CapturedEnvelope: Decodable {
    var sequence: Int
    var connection: Int
    var mailFrom: String
    var mailOptions: [String]
    var recipients: [String]
    var tls: Bool
    var user: String?
    var time: Double

    enum CodingKeys: String, CodingKey {
        case sequence, connection, tls, user, time
        case mailFrom = "mail_from"
        case mailOptions = "mail_options"
        case recipients = "rcpt_tos"
    }
}
