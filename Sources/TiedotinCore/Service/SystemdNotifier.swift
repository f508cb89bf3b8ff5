import Foundation

/// systemd's notify protocol (sd_notify(3)), written directly: one datagram per message to the
/// socket named by `NOTIFY_SOCKET`, a path or (with a leading `@`) an abstract name.
/// Without `NOTIFY_SOCKET` (not run by systemd) every call does nothing.
public struct SystemdNotifier: Sendable {
    private let socketPath: String?
    /// Half of `WATCHDOG_USEC` when the watchdog is on for this process.
    public let watchdogInterval: Duration?

    /// Reads `NOTIFY_SOCKET`, `WATCHDOG_USEC` and `WATCHDOG_PID` from `environment`.
    public init(environment: [String: String], pid: Int32 = getpid()) {
        let path = environment["NOTIFY_SOCKET"]
        socketPath = (path?.isEmpty ?? true) ? nil : path
        if let text = environment["WATCHDOG_USEC"], let microseconds = UInt64(text), microseconds > 0,
           environment["WATCHDOG_PID"].flatMap({ Int32($0) }).map({ $0 == pid }) ?? true {
            watchdogInterval = .microseconds(microseconds / 2)
        } else {
            watchdogInterval = nil
        }
    }

    /// Whether systemd listens (`NOTIFY_SOCKET` is set).
    public var isActive: Bool { socketPath != nil }

    /// `READY=1` with a status line.
    public func ready(status: String) { send("READY=1\nSTATUS=\(status.oneLine)") }
    /// `RELOADING=1` with the monotonic time systemd wants with it.
    public func reloading() { send("RELOADING=1\nMONOTONIC_USEC=\(Self.monotonicMicroseconds())\nSTATUS=reloading the config") }
    /// `STOPPING=1`.
    public func stopping() { send("STOPPING=1\nSTATUS=stopping: finishing the message in flight") }
    /// A one-line `STATUS=`.
    public func status(_ text: String) { send("STATUS=\(text.oneLine)") }
    /// `WATCHDOG=1`.
    public func watchdog() { send("WATCHDOG=1") }

    /// Sends `message` as one datagram; a failure is ignored, as sd_notify's callers do.
    public func send(_ message: String) {
        guard let socketPath else { return }
        UnixDatagram.send(Array(message.utf8), to: socketPath)
    }

    private static func monotonicMicroseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000 + UInt64(time.tv_nsec) / 1_000
    }
}

extension String {
    /// The text on one line, for `STATUS=`.
    fileprivate var oneLine: String {
        split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
