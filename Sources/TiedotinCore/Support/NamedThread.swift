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

    /// Lets the calling thread run only when a core would otherwise be idle (Linux's `SCHED_IDLE`):
    /// for work that must not take a core from threads that wait on a network peer. An unprivileged
    /// thread cannot go back, so only a thread that lives for that work should ask. False when the
    /// system refused (the thread keeps its priority).
    @discardableResult
    static func runOnlyWhenIdle() -> Bool {
        var parameters = sched_param()
        return sched_setscheduler(0, NamedThread.idlePolicy, &parameters) == 0
    }

    /// `SCHED_IDLE` from `<sched.h>`, which Swift's Glibc module leaves out (it is a GNU extension).
    private static let idlePolicy: Int32 = 5

    /// glibc's `pthread_setname_np` (a GNU extension); without it threads keep their default names.
    private static let setName = GlibcFunction.named(
        "pthread_setname_np", as: (@convention(c) (pthread_t, UnsafePointer<CChar>) -> Int32).self)
}
