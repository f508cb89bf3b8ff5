import Foundation

/// A Maildir the mail server delivers into (`new/`), read and filed by the service.
///
/// Nothing is ever deleted: a message read is renamed from `new/NAME` to `cur/NAME:2,FLAGS`
/// (the Maildir convention every mail client follows), so the admin can open the folder with any
/// client and see what came and what was done with it.
struct MaildirFolder: Sendable {
    /// The Maildir's root (holding `new`, `cur` and `tmp`).
    let path: String

    /// Whether the folder is there to be read (the mail server makes it on first delivery).
    var exists: Bool {
        var isFolder: ObjCBool = false
        return FileManager.default.fileExists(atPath: path + "/new", isDirectory: &isFolder) && isFolder.boolValue
    }

    /// The names of the messages waiting in `new/`, oldest first (Maildir names start with the time).
    /// Dot files and anything that is not a regular file are left alone.
    func newMessages() throws -> [String] {
        let folder = path + "/new"
        return try FileManager.default.contentsOfDirectory(atPath: folder).filter { name in
            guard !name.hasPrefix(".") else { return false }
            var info = stat()
            return lstat(folder + "/" + name, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
        }.sorted()
    }

    /// The first `limit` bytes of a message in `new/`: enough for any report; a larger message is garbage anyway.
    func read(_ name: String, limit: Int) throws -> [UInt8] {
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path + "/new/" + name))
        defer { try? handle.close() }
        return [UInt8](try handle.read(upToCount: limit) ?? Data())
    }

    /// Moves a message from `new/` to `cur/` with the Maildir flags `flags` (`S` seen, `F` flagged).
    func file(_ name: String, flags: String) throws {
        let target = path + "/cur/" + MaildirFolder.uniqueName(name) + ":2," + String(flags.sorted())
        if rename(path + "/new/" + name, target) != 0 {
            throw MaildirError.cannotFile(message: path + "/new/" + name, target: target, reason: String(cString: strerror(errno)))
        }
    }

    /// How many messages in `cur/` are flagged (`F`) and not yet seen (`S`) or trashed (`T`): what waits
    /// for the admin. Nil when the folder cannot be read.
    func waitingForAdmin() -> Int? {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: path + "/cur") else { return nil }
        return names.filter { name in
            guard let info = name.range(of: ":2,") else { return false }
            let flags = name[info.upperBound...]
            return flags.contains("F") && !flags.contains("S") && !flags.contains("T")
        }.count
    }

    /// The unique part of a Maildir name (before `:2,`), which identifies the message for good.
    static func uniqueName(_ name: String) -> String {
        name.split(separator: ":", maxSplits: 1).first.map(String.init) ?? name
    }
}

/// Why a Maildir could not be read or filed; written for the admin.
enum MaildirError: Error, CustomStringConvertible {
    case cannotFile(message: String, target: String, reason: String)

    var description: String {
        switch self {
        case .cannotFile(let message, let target, let reason):
            "cannot move \(message) to \(target): \(reason). The service user needs write access to the Maildir "
                + "(ReadWritePaths= in the unit, and the folder's owner or group)"
        }
    }
}
