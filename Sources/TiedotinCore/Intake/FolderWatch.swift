import Dispatch
import Foundation
import Glibc
import Synchronization

/// Wakes intake when something arrives in `incoming/`: inotify on the folder, read by a
/// Dispatch source (epoll underneath), so an idle service sleeps in the kernel.
final class FolderWatch {
    private let descriptor: Int32
    private let source: any DispatchSourceRead
    private let lost = LostFlag()

    /// True once the watched folder itself was removed or moved: watch the new one instead.
    var isLost: Bool { lost.value.withLock { $0 } }

    /// Starts watching `folder`; nil when inotify is not available (then intake polls).
    init?(folder: String, onChange: @escaping @Sendable () -> Void) {
        let descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard descriptor >= 0 else { return nil }
        // A file written in place ends with CLOSE_WRITE; one renamed in, MOVED_TO; a link or a
        // pipe is only ever CREATEd; ATTRIB catches `touch` and mode changes.
        let mask = UInt32(IN_CREATE | IN_CLOSE_WRITE | IN_MOVED_TO | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF)
        guard inotify_add_watch(descriptor, folder, mask) >= 0 else {
            close(descriptor)
            return nil
        }
        self.descriptor = descriptor
        source = DispatchSource.makeReadSource(fileDescriptor: descriptor, queue: DispatchQueue(label: "tiedotin.intake.watch"))
        let lost = self.lost
        source.setEventHandler {
            // Which file changed does not matter (the pass looks at them all), only whether the
            // folder itself went away. Each event is a struct inotify_event: wd, mask, cookie, len, name.
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
                guard count > 0 else { break }
                var offset = 0
                while offset + 16 <= count {
                    let mask = buffer.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self) }
                    let length = buffer.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self) }
                    if mask & UInt32(IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF) != 0 { lost.value.withLock { $0 = true } }
                    offset += 16 + Int(length)
                }
            }
            onChange()
        }
        source.setCancelHandler { close(descriptor) }
        source.resume()
    }

    /// Stops watching and closes the inotify descriptor.
    func stop() {
        source.cancel()
    }
}

/// Set from the watch's queue, read by the intake loop.
private final class LostFlag: Sendable {
    let value = Mutex(false)
}
