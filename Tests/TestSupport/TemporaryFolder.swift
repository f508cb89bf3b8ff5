import Foundation

/// A fresh folder under the system's temporary folder, removed when the value goes away.
/// Each test makes its own, so tests run in parallel without touching each other's files.
public final class TemporaryFolder: Sendable {
    public let path: String

    public init(_ label: String = "tiedotin") {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// A path inside the folder.
    public func appending(_ name: String) -> String {
        path + "/" + name
    }

    /// Writes `text` to `name` inside the folder (creating subfolders) and returns the file's path.
    @discardableResult
    public func write(_ text: String, to name: String) throws -> String {
        let file = appending(name)
        try FileManager.default.createDirectory(
            atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        return file
    }

    /// Makes a folder inside this one and returns its path.
    @discardableResult
    public func folder(_ name: String) throws -> String {
        let folder = appending(name)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }
}
