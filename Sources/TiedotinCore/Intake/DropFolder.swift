import Foundation
import Glibc

/// The drop folder on disk: `incoming/`, `accepted/`, `rejected/`. Every move is one
/// `rename(2)` within the folder's file system, and never onto a name that exists.
struct DropFolder: Sendable {
    /// What `lstat` says of a file in `incoming/`.
    struct Entry: Sendable {
        var name: DropName
        var kind: Kind
        var size: Int
        /// How many names the file has; more than one means a hard link.
        var links: Int
        /// The later of its modification and status-change times: a copy that keeps the
        /// original's modification time still counts from when it arrived.
        var lastChange: Date
    }

    enum Kind: Sendable, Equatable {
        case regular, symbolicLink, folder, other(String)
    }

    let root: String
    var incoming: String { root + "/incoming" }
    var accepted: String { root + "/accepted" }
    var rejected: String { root + "/rejected" }

    /// Makes the three folders when they are missing (the service's tmpfiles rule normally has).
    func prepare() throws(IntakeError) {
        for folder in [incoming, accepted, rejected] {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw .folder(folder, reason: error.localizedDescription)
            }
        }
    }

    /// The files in `incoming/` that intake may look at (hidden and temporary names left out).
    func entries() throws(IntakeError) -> [Entry] {
        guard let directory = opendir(incoming) else {
            throw .folder(incoming, reason: String(cString: strerror(errno)))
        }
        defer { closedir(directory) }
        var names: [DropName] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                DropName(bytes: Array(raw.prefix(while: { $0 != 0 })))
            }
            if name.bytes == Array(".".utf8) || name.bytes == Array("..".utf8) || name.isLeftAlone { continue }
            names.append(name)
        }
        return names.sorted { $0.bytes.lexicographicallyPrecedes($1.bytes) }.compactMap(entry)
    }

    /// The file as it is now, or nil when it has gone (another process took it).
    func entry(_ name: DropName) -> Entry? {
        var info = stat()
        guard withPath(incoming, name, { lstat($0, &info) }) == 0 else { return nil }
        let kind: Kind = switch info.st_mode & S_IFMT {
        case S_IFREG: .regular
        case S_IFLNK: .symbolicLink
        case S_IFDIR: .folder
        case S_IFIFO: .other("named pipe")
        case S_IFSOCK: .other("socket")
        default: .other("device")
        }
        let modified = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
        let changed = Double(info.st_ctim.tv_sec) + Double(info.st_ctim.tv_nsec) / 1e9
        return Entry(
            name: name, kind: kind, size: Int(info.st_size), links: Int(info.st_nlink), lastChange: Date(timeIntervalSince1970: max(modified, changed)))
    }

    /// Reads a regular file of at most `limit` bytes, refusing anything that is not, or stopped
    /// being, that same regular file (it could be swapped for a link or a pipe after `lstat`).
    func read(_ name: DropName, limit: Int) throws(IntakeError) -> [UInt8]? {
        let descriptor = withPath(incoming, name) { open($0, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC) }
        guard descriptor >= 0 else {
            if errno == ENOENT { return nil }
            throw .file(name.description, reason: String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_nlink == 1 else { return nil }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while bytes.count <= limit {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .file(name.description, reason: String(cString: strerror(errno)))
            }
            if count == 0 { break }
            bytes += buffer[..<count]
        }
        return bytes
    }

    /// A name in `folder` that is free: `name`, else `STEM-2.EXT`, `STEM-3.EXT`, …
    /// `taken` adds names that are spoken for elsewhere (an item recorded but not yet moved).
    func freeName(for name: DropName, in folder: String, reserve: Int, taken: (DropName) -> Bool = { _ in false }) -> DropName {
        var number = 1
        while true {
            let candidate = name.numbered(number, reserve: reserve)
            var info = stat()
            if withPath(folder, candidate, { lstat($0, &info) }) != 0, errno == ENOENT, !taken(candidate) {
                return candidate
            }
            number += 1
        }
    }

    /// Moves `incoming/NAME` to `folder/TARGET` with `rename(2)`. The caller has made sure
    /// TARGET is free while holding the intake lock, so nothing is overwritten.
    func move(_ name: DropName, to folder: String, as target: DropName) throws(IntakeError) {
        let result = withPath(incoming, name) { from in withPath(folder, target) { to in rename(from, to) } }
        guard result == 0 else {
            throw .move(name.description, to: folder + "/" + target.description, reason: String(cString: strerror(errno)))
        }
    }

    /// Writes `rejected/NAME.error.txt` whole or not at all: a temporary file, then `rename(2)`.
    func writeErrorFile(for name: DropName, text: String) throws(IntakeError) {
        let target = name.errorFileName
        let temporary = DropName(".error-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).tmp")
        let bytes = Array(text.utf8)
        let descriptor = withPath(rejected, temporary) { open($0, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644) }
        guard descriptor >= 0 else { throw .file(target.description, reason: String(cString: strerror(errno))) }
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)
        let renamed = written == bytes.count
            ? withPath(rejected, temporary) { from in withPath(rejected, target) { to in rename(from, to) } } : -1
        guard renamed == 0 else {
            let reason = String(cString: strerror(errno))
            _ = withPath(rejected, temporary) { unlink($0) }
            throw .file(target.description, reason: reason)
        }
    }

    /// Whether `folder/NAME` exists.
    func exists(_ name: DropName, in folder: String) -> Bool {
        var info = stat()
        return withPath(folder, name) { lstat($0, &info) } == 0
    }

    /// Calls `body` with the C path `folder/NAME`, built from the name's bytes.
    private func withPath<T>(_ folder: String, _ name: DropName, _ body: (UnsafePointer<CChar>) -> T) -> T {
        let path = Array(folder.utf8) + [UInt8(ascii: "/")] + name.bytes + [0]
        return path.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { body($0) }
        }
    }
}
