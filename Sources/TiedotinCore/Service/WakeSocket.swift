import Foundation
import Synchronization

/// How a command that queued mail wakes a running `serve`: a Unix datagram socket
/// `DATABASE.wake` beside the database, which only a ready `serve` binds.
///
/// A signal would reach whatever process holds the lock, and kill one that does not handle it
/// (an `announce --wait`, a `serve` still recovering). A datagram reaches only a listener: with
/// nobody bound, sending fails quietly and nobody is hurt.
public final class WakeSocket: Sendable {
    public let path: String
    private let descriptor: Int32
    private let closing = Mutex(false)
    private let finished = DispatchSemaphore(value: 0)

    /// Binds `path` (replacing a stale socket: the caller holds the delivery lock) and calls
    /// `onWake` on a thread of its own for every datagram, until `close()`.
    public init(path: String, database: String, onWake: @escaping @Sendable () -> Void) throws(WakeSocketError) {
        guard !path.hasPrefix("@"), var address = UnixDatagram.address(path) else {
            throw .pathTooLong(path: path, limit: MemoryLayout.size(ofValue: sockaddr_un().sun_path) - 1)
        }
        guard let descriptor = UnixDatagram.socket() else {
            throw .cannotBind(path: path, reason: String(cString: strerror(errno)))
        }
        unlink(path)
        let bound = withUnsafePointer(to: &address.address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, address.length) }
        }
        guard bound == 0 else {
            let reason = String(cString: strerror(errno))
            Foundation.close(descriptor)
            throw .cannotBind(path: path, reason: reason)
        }
        StateFileOwner.adopt(path, likeDatabase: database)
        self.path = path
        self.descriptor = descriptor
        NamedThread.start("wake") { [self] in listen(onWake) }
    }

    deinit {
        close()
    }

    /// Stops listening and removes the socket, so that later commands find nobody to wake.
    public func close() {
        let first = closing.withLock { closing in
            defer { closing = true }
            return !closing
        }
        guard first else { return }
        unlink(path)
        // Unblocks the listening thread's recv; it then closes the descriptor.
        shutdown(descriptor, Int32(SHUT_RDWR))
        finished.wait()
    }

    private func listen(_ onWake: @Sendable () -> Void) {
        var byte: UInt8 = 0
        while true {
            let count = recv(descriptor, &byte, 1, 0)
            if closing.withLock({ $0 }) { break }
            if count < 0, errno == EINTR { continue }
            if count < 0 { break }
            onWake()
        }
        Foundation.close(descriptor)
        finished.signal()
    }

    /// Sends one wake to whoever listens at `path`; false when nobody does (no service, or one not
    /// ready yet, which looks at the outbox anyway when it becomes ready).
    @discardableResult
    public static func wake(_ path: String) -> Bool {
        !path.hasPrefix("@") && UnixDatagram.send([1], to: path)
    }
}

/// Why the wake socket could not be made. The service still runs; queued mail then waits for its
/// next look at the outbox.
public enum WakeSocketError: Error, CustomStringConvertible {
    case pathTooLong(path: String, limit: Int)
    case cannotBind(path: String, reason: String)

    public var description: String {
        switch self {
        case .pathTooLong(let path, let limit):
            "the wake socket \(path) is longer than a Unix socket path may be (\(limit) bytes); put paths.database in a shorter folder"
        case .cannotBind(let path, let reason):
            "cannot make the wake socket \(path): \(reason); check that the database's folder is writable by the service user"
        }
    }
}
