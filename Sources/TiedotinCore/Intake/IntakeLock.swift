import Foundation
import Glibc

/// One intake pass at a time, across processes: `tiedotin intake` run by hand while the
/// service runs waits for the service's pass to end, so no file is ever taken twice.
/// An exclusive `flock` on `DATABASE.intake.lock`, which the kernel drops if the process dies.
final class IntakeLock: Sendable {
    private let descriptor: Int32

    /// Waits for the lock and takes it.
    init(path: String) throws(IntakeError) {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .lock(path, reason: String(cString: strerror(errno))) }
        // Whoever makes it first (root, say), the service user must be able to take it later.
        StateFileOwner.adopt(descriptor: descriptor, likeDatabase: String(path.dropLast(".intake.lock".count)))
        while flock(descriptor, LOCK_EX) != 0 {
            if errno == EINTR { continue }
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw .lock(path, reason: reason)
        }
        self.descriptor = descriptor
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
