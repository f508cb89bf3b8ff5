import Foundation

/// Files the service keeps beside its database (the lock, the wake socket) belong to whoever owns
/// the database, with mode 0600: a command run as root before the service ever ran must not leave
/// a file the service user cannot open.
enum StateFileOwner {
    /// Gives `path` mode 0600 and, when this process is root, the owner of `database` (or of its
    /// folder while the database does not exist yet). Failures are left to the next open to report.
    static func adopt(_ path: String, likeDatabase database: String) {
        _ = chmod(path, 0o600)
        guard geteuid() == 0, let owner = owner(of: database) ?? owner(of: PathCheck.parent(of: database)) else { return }
        _ = chown(path, owner.uid, owner.gid)
    }

    /// The same for an open file: no window in which another user could open it by name.
    static func adopt(descriptor: Int32, likeDatabase database: String) {
        _ = fchmod(descriptor, 0o600)
        guard geteuid() == 0, let owner = owner(of: database) ?? owner(of: PathCheck.parent(of: database)) else { return }
        _ = fchown(descriptor, owner.uid, owner.gid)
    }

    private static func owner(of path: String) -> (uid: uid_t, gid: gid_t)? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return (info.st_uid, info.st_gid)
    }
}
