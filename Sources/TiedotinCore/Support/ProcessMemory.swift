import Glibc

/// The process's heap, between bursts of work.
enum ProcessMemory {
    /// Hands the heap's free pages back to the system. glibc keeps what a burst freed (a claimed
    /// batch, SQLite's page cache) for the next burst; a service that then waits for hours should
    /// not hold it.
    static func returnFreePages() {
        _ = trim?(0)
    }

    /// glibc's `malloc_trim` (declared in malloc.h, which Swift's Glibc module leaves out).
    private static let trim = GlibcFunction.named("malloc_trim", as: (@convention(c) (Int) -> Int32).self)
}
