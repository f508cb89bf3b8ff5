import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A throwaway certificate authority and a server certificate it signed for `127.0.0.1` and
/// `localhost`, made with the `openssl` command, so that TLS tests verify certificates the way
/// production does (trust the CA file, check the name) instead of turning verification off.
public struct TestCertificateAuthority: Sendable {
    /// The folder holding the PEM files.
    public let directory: URL
    /// The CA certificate (PEM) a client trusts: curl's `--cacert`, libcurl's `CURLOPT_CAINFO`.
    public let caFile: String
    /// The server certificate (PEM), subjectAltName `IP:127.0.0.1` and `DNS:localhost`.
    public let certificateFile: String
    /// The server's private key (PEM, unencrypted).
    public let keyFile: String

    private static let processAuthority = Result { () throws -> TestCertificateAuthority in
        let temporary = FileManager.default.temporaryDirectory
        removeLeftovers(in: temporary)
        let directory = temporary.appendingPathComponent("\(folderPrefix)\(getpid())")
        return try create(in: directory)
    }

    private static let folderPrefix = "tiedotin-test-ca-"

    /// The authority shared by every test in this process; made once, on first use.
    public static func shared() throws -> TestCertificateAuthority {
        try processAuthority.get()
    }

    /// Makes a new authority and server certificate in `directory` (created if missing).
    public static func create(in directory: URL) throws -> TestCertificateAuthority {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = { (name: String) in directory.appendingPathComponent(name).path }
        // Elliptic-curve keys: generating RSA keys would make this the slowest step of a test run.
        let curve = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try openssl(["req", "-x509"] + curve + [
            "-keyout", path("ca.key"), "-out", path("ca.pem"), "-days", "3650",
            "-subj", "/CN=tiedotin test CA",
            "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        ])
        try openssl(["req", "-new"] + curve + [
            "-keyout", path("server.key"), "-out", path("server.csr"), "-subj", "/CN=127.0.0.1",
        ])
        let extensions = """
            subjectAltName=IP:127.0.0.1,DNS:localhost
            basicConstraints=critical,CA:FALSE
            keyUsage=critical,digitalSignature
            extendedKeyUsage=serverAuth

            """
        try Data(extensions.utf8).write(to: directory.appendingPathComponent("server.ext"))
        try openssl([
            "x509", "-req", "-in", path("server.csr"), "-CA", path("ca.pem"), "-CAkey", path("ca.key"),
            "-CAcreateserial", "-out", path("server.pem"), "-days", "3650", "-extfile", path("server.ext"),
        ])
        return TestCertificateAuthority(
            directory: directory, caFile: path("ca.pem"), certificateFile: path("server.pem"), keyFile: path("server.key")
        )
    }

    private static func openssl(_ arguments: [String]) throws {
        let result: ChildProcess.Result
        do {
            result = try ChildProcess.run("/usr/bin/env", ["openssl"] + arguments)
        } catch {
            throw TestCertificateAuthorityError.opensslNotRunnable(reason: "\(error)")
        }
        guard result.status == 0 else {
            throw TestCertificateAuthorityError.opensslFailed(
                arguments: arguments, status: result.status, output: result.output + result.errors
            )
        }
    }

    /// Removes the folders of test processes that are gone, so that runs do not pile up in /tmp.
    private static func removeLeftovers(in temporary: URL) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: temporary.path)) ?? []
        for name in names where name.hasPrefix(folderPrefix) {
            guard let owner = Int32(name.dropFirst(folderPrefix.count)), owner != getpid() else { continue }
            if kill(owner, 0) != 0 && errno == ESRCH {
                try? FileManager.default.removeItem(at: temporary.appendingPathComponent(name))
            }
        }
    }
}

/// Why the test certificates could not be made.
public enum TestCertificateAuthorityError: Error, CustomStringConvertible {
    case opensslNotRunnable(reason: String)
    case opensslFailed(arguments: [String], status: Int32, output: String)

    public var description: String {
        switch self {
        case .opensslNotRunnable(let reason):
            return "cannot run openssl to make test certificates (run ./scripts/setup.sh): \(reason)"
        case .opensslFailed(let arguments, let status, let output):
            return "openssl \(arguments.joined(separator: " ")) exited with status \(status): \(output)"
        }
    }
}
