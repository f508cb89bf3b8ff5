import Foundation

/// Where the repository is, found from this file: the templates, the example config, `.venv` and the built binary.
public enum Repository {
    /// The repository's root folder.
    public static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// A path inside the repository.
    public static func path(_ relative: String) -> String {
        root + "/" + relative
    }
}
