import Foundation

/// Starts a thread whose name the system shows (`top -H`, `ps -L`, `/proc/PID/task/*/comm`) as
/// well as Foundation: on Linux, Foundation's `Thread.name` set before `start` never reaches the
/// kernel, so every thread of the service looked alike to an admin and to the benchmark.
enum NamedThread {
    /// Starts `body` on a new thread named `name` (at most 15 bytes: the kernel's limit, past
    /// which the name is refused).
    static func start(_ name: String, _ body: @escaping @Sendable () -> Void) {
        let thread = Thread {
            _ = setName?(pthread_self(), name)
            body()
        }
        thread.name = name
        thread.start()
    }

    /// glibc's `pthread_setname_np` (a GNU extension); without it threads keep their default names.
    private static let setName = GlibcFunction.named(
        "pthread_setname_np", as: (@convention(c) (pthread_t, UnsafePointer<CChar>) -> Int32).self)
}
