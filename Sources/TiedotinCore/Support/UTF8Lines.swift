/// Where text that should be UTF-8 is not: config files and drop-folder items report the line.
enum UTF8Lines {
    /// The 1-based line of the first byte sequence that is not UTF-8 (1 when it cannot be told).
    static func firstInvalidLine<Bytes: Collection>(_ bytes: Bytes) -> Int where Bytes.Element == UInt8 {
        for (index, line) in bytes.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated()
        where String(validating: line, as: UTF8.self) == nil {
            return index + 1
        }
        return 1
    }
}
