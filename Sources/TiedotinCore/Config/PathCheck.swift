import Foundation

/// File-system checks for configured paths: does the folder exist, or can the service create it?
enum PathCheck {
    /// `path` made absolute against `base` (the config file's folder), with `.` and `..` resolved.
    static func resolve(_ path: String, against base: String) -> String {
        let absolute = path.hasPrefix("/") ? path : base + "/" + path
        var components: [Substring] = []
        for component in absolute.split(separator: "/") {
            switch component {
            case ".": continue
            case "..": _ = components.popLast()
            default: components.append(component)
            }
        }
        return "/" + components.joined(separator: "/")
    }

    /// Nil when `path` is a folder, else why not.
    static func existingFolder(_ path: String) -> String? {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            return "the folder \(path) does not exist"
        }
        return isFolder.boolValue ? nil : "\(path) is a file, not a folder"
    }

    /// Nil when `path` is a writable folder or can be created (its nearest existing ancestor is a
    /// writable folder), else why not.
    static func creatableFolder(_ path: String) -> String? {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) {
            guard isFolder.boolValue else { return "\(path) is a file, not a folder" }
            guard access(path, W_OK | X_OK) == 0 else { return "the folder \(path) is not writable for this user" }
            return nil
        }
        var ancestor = path
        repeat {
            ancestor = parent(of: ancestor)
        } while !FileManager.default.fileExists(atPath: ancestor, isDirectory: &isFolder)
        guard isFolder.boolValue else {
            return "\(path) cannot be created because \(ancestor) is a file, not a folder"
        }
        guard access(ancestor, W_OK | X_OK) == 0 else {
            return "\(path) does not exist and cannot be created: \(ancestor) is not writable for this user"
        }
        return nil
    }

    /// Nil when `path` is a regular file this user can read, else why not.
    static func readableFile(_ path: String) -> String? {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            return "the file \(path) does not exist"
        }
        guard !isFolder.boolValue else { return "\(path) is a folder, not a file" }
        guard access(path, R_OK) == 0 else { return "the file \(path) is not readable for this user" }
        return nil
    }

    /// The folder holding `path` (`/` for `/`).
    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
        return String(path[..<slash])
    }
}
