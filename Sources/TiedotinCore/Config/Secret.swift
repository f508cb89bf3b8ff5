/// A password or client secret read from a file. Its text never shows in descriptions, string
/// interpolation, `dump` or logs: only `plainText` gives it, for handing to libcurl or a token request.
public struct Secret: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    private let value: String
    /// The file it was read from (safe to show).
    public let source: String

    public init(_ value: String, source: String) {
        self.value = value
        self.source = source
    }

    /// The secret itself. Use it only where it leaves for the server.
    public var plainText: String { value }

    public var description: String { "secret from \(source)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["source": source]) }
}
