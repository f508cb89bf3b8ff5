import Foundation
import Synchronization

/// Only one process delivers at a time: an exclusive `flock` on `DATABASE.lock`, which holds the
/// PID of its owner. The kernel drops the lock when the process dies, even by `kill -9`.
/// The file has the database's owner and mode 0600, whoever makes it first.
public final class DeliveryLock: Sendable {
    public let path: String
    private let descriptor: Int32
    private let released = Mutex(false)

    /// Takes the lock or throws `DeliveryLockError.held` naming the PID that has it.
    public init(path: String) throws(DeliveryLockError) {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw .cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        StateFileOwner.adopt(descriptor: descriptor, likeDatabase: String(path.dropLast(".lock".count)))
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let holder = DeliveryLock.holder(descriptor: descriptor)
            close(descriptor)
            throw .held(path: path, pid: holder)
        }
        let text = Array("\(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = text.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        self.path = path
        self.descriptor = descriptor
    }

    deinit {
        release()
    }

    /// Gives the lock up (also done when the lock is freed, and by the kernel when the process ends).
    public func release() {
        released.withLock { released in
            guard !released else { return }
            released = true
            _ = ftruncate(descriptor, 0)
            flock(descriptor, LOCK_UN)
            close(descriptor)
        }
    }

    /// The PID of the process holding the lock at `path`, or nil when nobody holds it.
    public static func holder(of path: String) -> Int32? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        if flock(descriptor, LOCK_SH | LOCK_NB) == 0 {
            flock(descriptor, LOCK_UN)
            return nil
        }
        return holder(descriptor: descriptor)
    }

    private static func holder(descriptor: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        return Int32(String(decoding: buffer[..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}

/// Why the delivery lock could not be taken.
public enum DeliveryLockError: Error, CustomStringConvertible {
    case held(path: String, pid: Int32?)
    case cannotOpen(path: String, reason: String)

    public var description: String {
        switch self {
        case .held(let path, let pid):
            let who = pid.map { "process \($0)" } ?? "another process"
            return "another tiedotin is delivering: \(who) holds \(path). Stop it first (systemctl stop tiedotin), or let it do the sending."
        case .cannotOpen(let path, let reason):
            return "cannot open the lock file \(path): \(reason). Check that the database's folder is writable."
        }
    }
}
