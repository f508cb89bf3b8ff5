import Glibc

/// The process's heap, between bursts of work.
enum ProcessMemory {
    /// Hands the heap's free pages back to the system. glibc keeps what a burst freed (a claimed
    /// batch, SQLite's page cache) for the next burst; a service that then waits for hours should
    /// not hold it.
    static func returnFreePages() {
        _ = trim?(0)
    }

    /// glibc's `malloc_trim`, which Swift's Glibc module does not import (it is in malloc.h); nil
    /// on a C library without it.
    private static let trim: (@convention(c) (Int) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
    }()
}
