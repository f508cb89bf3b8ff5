import Foundation

/// An OAuth 2.0 token endpoint on 127.0.0.1 over HTTPS (`token_server.py`), with the test CA's
/// certificate: it issues scripted tokens for the client-credentials grant, or answers as
/// Microsoft's endpoint does when the client id, secret or scope is wrong. Every request is
/// logged (`requests()`) without the secret or the token.
public final class TokenTestServer: Sendable {
    /// What the endpoint accepts and hands out; encodes to the JSON `token_server.py` reads.
    public struct Options: Codable, Sendable, Equatable {
        public var clientID = "6f1c2a4e-0d3b-4e55-9a61-7c8d2b1e9f00"
        public var clientSecret = "Kehrääm0~salaisuus.2027"
        public var scope = "https://outlook.office365.com/.default"
        /// Handed out in order; the last one is repeated.
        public var tokens = ["eyJ0eXAiOiJKV1QiLCJub25jZSI6ImVrc2Etb25lIn0.token-yksi"]
        public var expiresIn = 3599
        /// `"not_json"`, `"unauthorized_client"` or `"echo_secret"` (an error quoting the secret it
        /// got): answer that instead of checking the request.
        public var answer: String?

        public init() {}

        enum CodingKeys: String, CodingKey {
            case clientID = "client_id"
            case clientSecret = "client_secret"
            case scope, tokens, answer
            case expiresIn = "expires_in"
        }
    }

    /// One request the endpoint answered.
    public struct Request: Decodable, Sendable, Equatable {
        public var path: String
        public var contentType: String?
        public var grantType: String?
        public var clientID: String?
        public var scope: String?
        public var secretOK: Bool
        public var status: Int
        public var error: String?
        /// Which of `Options.tokens` it got.
        public var issued: Int?

        enum CodingKeys: String, CodingKey {
            case path, scope, status, error, issued
            case contentType = "content_type"
            case grantType = "grant_type"
            case clientID = "client_id"
            case secretOK = "secret_ok"
        }
    }

    public let port: Int
    public let options: Options
    private let directory: URL
    private let process: ProcessBox

    private init(port: Int, options: Options, directory: URL, process: ProcessBox) {
        self.port = port
        self.options = options
        self.directory = directory
        self.process = process
    }

    deinit {
        if let process = process.take(), process.isRunning { process.terminate() }
        try? FileManager.default.removeItem(at: directory)
    }

    /// `https://127.0.0.1:PORT/TENANT/oauth2/v2.0/token`, shaped like Microsoft's.
    public var tokenURL: String { "https://127.0.0.1:\(port)/pohde.example.fi/oauth2/v2.0/token" }

    /// Starts an endpoint on `port` (0: any free one) with the authority's certificate.
    public static func start(
        _ options: Options = Options(), authority: TestCertificateAuthority, port: Int = 0, timeout: Duration = .seconds(20)
    ) async throws -> TokenTestServer {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tiedotin-token-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let launch = Launch(
            options: options, port: port, certificateFile: authority.certificateFile, keyFile: authority.keyFile,
            requestsFile: directory.appendingPathComponent("requests.jsonl").path)
        let optionsFile = directory.appendingPathComponent("options.json")
        try JSONEncoder().encode(launch).write(to: optionsFile)
        let (process, actual) = try await PythonServerProcess.launch(
            script: URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("token_server.py"),
            optionsFile: optionsFile, timeout: timeout)
        return TokenTestServer(port: actual, options: options, directory: directory, process: ProcessBox(process))
    }

    /// Stops the endpoint and waits until its port refuses connections.
    public func stop() async {
        guard let process = process.take() else { return }
        await PythonServerProcess.stop(process)
    }

    /// Every request answered so far, oldest first.
    public func requests() throws -> [Request] {
        guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent("requests.jsonl").path) else { return [] }
        return try data.split(separator: UInt8(ascii: "\n")).map { try JSONDecoder().decode(Request.self, from: Data($0)) }
    }

    /// What the endpoint wrote to standard error (nothing, unless it broke).
    public func standardError() -> String {
        (try? String(contentsOf: directory.appendingPathComponent("stderr.log"), encoding: .utf8)) ?? ""
    }

    private struct Launch: Encodable {
        var options: Options
        var port: Int
        var certificateFile: String
        var keyFile: String
        var requestsFile: String

        enum CodingKeys: String, CodingKey {
            case port
            case certificateFile = "certificate_file"
            case keyFile = "key_file"
            case requestsFile = "requests_file"
        }

        func encode(to encoder: any Encoder) throws {
            try options.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(port, forKey: .port)
            try container.encode(certificateFile, forKey: .certificateFile)
            try container.encode(keyFile, forKey: .keyFile)
            try container.encode(requestsFile, forKey: .requestsFile)
        }
    }
}

/// The endpoint's process, handed out once to whoever stops it.
private final class ProcessBox: @unchecked Sendable {
    private let lock = NSLock()
    private var process: ChildProcess?

    init(_ process: ChildProcess) {
        self.process = process
    }

    func take() -> ChildProcess? {
        lock.withLock {
            defer { process = nil }
            return process
        }
    }
}
