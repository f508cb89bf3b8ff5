/// A file name in the drop folder, kept as its bytes: a submitter's name need not be UTF-8,
/// and a file must still be moved (to `rejected/`) under exactly the name it has.
struct DropName: Sendable, Hashable, CustomStringConvertible {
    let bytes: [UInt8]

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    init(_ text: String) {
        bytes = Array(text.utf8)
    }

    /// The name as text, when it is UTF-8.
    var text: String? { String(validating: bytes, as: UTF8.self) }

    /// For logs and messages: readable even when the name is not UTF-8 or holds line breaks.
    var description: String {
        let shown = String(decoding: bytes, as: UTF8.self)
        return shown.contains(where: { $0.isNewline || $0 == "\t" }) ? shown.debugDescription : shown
    }

    /// Hidden and temporary names (`.*`, `*.tmp`, `*.part`, `~*`) belong to a submitter still writing.
    var isLeftAlone: Bool {
        bytes.first == UInt8(ascii: ".") || bytes.first == UInt8(ascii: "~")
            || bytes.hasSuffix(".tmp") || bytes.hasSuffix(".part")
    }

    /// `NAME.error.txt`.
    var errorFileName: DropName { DropName(bytes: bytes + Array(".error.txt".utf8)) }

    /// The name with `-n` before its extension (`perehdytys-2.md`), shortened so that the
    /// result plus `reserve` bytes (room for `.error.txt`) stays within NAME_MAX.
    func numbered(_ number: Int, reserve: Int) -> DropName {
        var stem = bytes[...]
        var suffix: ArraySlice<UInt8> = []
        if let dot = bytes.lastIndex(of: UInt8(ascii: ".")), dot > 0 {
            stem = bytes[..<dot]
            suffix = bytes[dot...]
        }
        let tag = number > 1 ? Array("-\(number)".utf8) : []
        let room = 255 - reserve - tag.count - suffix.count
        if stem.count > room {
            var end = stem.startIndex + max(room, 1)
            // Cut at a character boundary: never leave half of a UTF-8 sequence.
            while end > stem.startIndex + 1, stem[end] & 0xC0 == 0x80 { end -= 1 }
            stem = stem[..<end]
        }
        return DropName(bytes: Array(stem) + tag + Array(suffix))
    }
}

private extension Array where Element == UInt8 {
    func hasSuffix(_ text: String) -> Bool {
        let suffix = Array(text.utf8)
        return count >= suffix.count && Array(self[(count - suffix.count)...]) == suffix
    }
}
