import Foundation

/// Unix datagram sockets by name, as systemd's notify socket and tiedotin's wake socket use them:
/// a path, or with a leading `@` a name in the abstract namespace.
enum UnixDatagram {
    /// The address of `name` and its length, or nil when the name is too long for `sun_path`.
    static func address(_ name: String) -> (address: sockaddr_un, length: socklen_t)? {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var bytes = Array(name.utf8)
        let abstract = bytes.first == UInt8(ascii: "@")
        if abstract { bytes[0] = 0 }
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return nil }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        // An abstract name's length counts exactly; a path's includes its terminating zero.
        let length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count + (abstract ? 0 : 1))
        return (address, length)
    }

    /// A new datagram socket (close-on-exec), or nil.
    static func socket() -> Int32? {
        let descriptor = Glibc.socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        return descriptor >= 0 ? descriptor : nil
    }

    /// Sends `payload` as one datagram to `name` without blocking; true when it was taken (or the
    /// receiver's queue is full, which for a wake is as good).
    @discardableResult
    static func send(_ payload: [UInt8], to name: String) -> Bool {
        guard var target = address(name), let descriptor = socket() else { return false }
        defer { close(descriptor) }
        let sent = withUnsafePointer(to: &target.address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                sendto(descriptor, payload, payload.count, Int32(MSG_DONTWAIT | MSG_NOSIGNAL), $0, target.length)
            }
        }
        return sent == payload.count || errno == EAGAIN
    }
}
