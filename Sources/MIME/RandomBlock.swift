#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Random numbers from the system's cryptographic source (`getrandom`, which `SystemRandomNumberGenerator`
/// also uses), drawn a block at a time: a mailing to thousands makes a Message-ID for each recipient, and
/// one system call then serves 32 of them instead of each making two.
///
/// The numbers are as unguessable as the system's own; they wait in this process's memory only
/// until used, and each is handed out once.
final class RandomBlock: RandomNumberGenerator, Sendable {
    /// 512 bytes a draw.
    private static let wordsPerDraw = 64

    private struct Words {
        var words = [UInt64](repeating: 0, count: RandomBlock.wordsPerDraw)
        /// How many of `words` are used; all of them at first, so the first `next()` draws.
        var used = RandomBlock.wordsPerDraw
    }

    private let state = Mutex(Words())

    init() {}

    func next() -> UInt64 {
        state.withLock { block in
            if block.used == block.words.count {
                block.words.withUnsafeMutableBytes(RandomBlock.fill)
                block.used = 0
            }
            defer { block.used += 1 }
            return block.words[block.used]
        }
    }

    /// Fills `buffer` from the system's source: glibc's `arc4random_buf` is one `getrandom` call (it
    /// loops itself when interrupted, and never fails); elsewhere a word at a time.
    private static func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        #if canImport(Glibc)
        guard let start = buffer.baseAddress else { return }
        arc4random_buf(start, buffer.count)
        #else
        var system = SystemRandomNumberGenerator()
        for offset in stride(from: 0, to: buffer.count, by: 8) {
            buffer.storeBytes(of: system.next(), toByteOffset: offset, as: UInt64.self)
        }
        #endif
    }
}
