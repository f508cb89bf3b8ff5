import Foundation
import Synchronization
import TestSupport

/// What systemd would hear: a Unix datagram socket at a path (or an abstract name), given to
/// the service as `NOTIFY_SOCKET`. Every datagram is kept; tests wait for the one they expect.
final class NotifyListener: Sendable {
    /// The value for `NOTIFY_SOCKET`: the path, or `@name` for an abstract socket.
    let address: String
    private let descriptor: Int32
    private let received = Mutex<[String]>([])

    init(abstract: Bool = false, folder: TemporaryFolder) throws {
        let name = abstract ? "tiedotin-test-\(UUID().uuidString)" : folder.appending("notify.sock")
        address = abstract ? "@" + name : name
        let descriptor = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        self.descriptor = descriptor
        var socketAddress = sockaddr_un()
        socketAddress.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(name.utf8)
        if abstract { bytes.insert(0, at: 0) }
        withUnsafeMutableBytes(of: &socketAddress.sun_path) { $0.copyBytes(from: bytes) }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count + (abstract ? 0 : 1))
        let bound = withUnsafePointer(to: &socketAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        guard bound == 0 else { throw NotifyListenerError.cannotBind(String(cString: strerror(errno))) }
        let thread = Thread { [self] in listen() }
        thread.start()
    }

    deinit {
        shutdown(descriptor, Int32(SHUT_RDWR))
        close(descriptor)
    }

    /// Every message so far, oldest first.
    var messages: [String] { received.withLock { $0 } }

    /// Waits until a message satisfies `matches` (counting from message number `after`), and
    /// returns it and its number; throws after `timeout`.
    @discardableResult
    func waitFor(
        after start: Int = 0, timeout: Duration = .seconds(30), _ what: String, _ matches: @escaping @Sendable (String) -> Bool
    ) async throws -> (message: String, index: Int) {
        let deadline = ContinuousClock.now + timeout
        while true {
            let all = messages
            if let index = all.indices.dropFirst(start).first(where: { matches(all[$0]) }) { return (all[index], index) }
            guard ContinuousClock.now < deadline else { throw NotifyListenerError.timedOut(what, all) }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    private func listen() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count <= 0 { break }
            let text = String(decoding: buffer[..<count], as: UTF8.self)
            received.withLock { $0.append(text) }
        }
    }
}

enum NotifyListenerError: Error, CustomStringConvertible {
    case cannotBind(String)
    case timedOut(String, [String])

    var description: String {
        switch self {
        case .cannotBind(let reason): "cannot bind the notify socket: \(reason)"
        case .timedOut(let what, let messages): "no \(what) in time; heard: \(messages)"
        }
    }
}
