/// Unguessable random text for Message-IDs and multipart boundaries, from the system's
/// cryptographic source (`SystemRandomNumberGenerator`).
enum RandomText {
    private static let alphabet: [UInt8] = Array("abcdefghijklmnopqrstuvwxyz234567".utf8)

    /// `count` characters of a 32-letter alphabet (5 bits each) that needs no quoting or encoding anywhere.
    static func make(count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        var output = [UInt8]()
        output.reserveCapacity(count)
        var bits: UInt64 = 0
        var available = 0
        while output.count < count {
            if available < 5 {
                bits = generator.next()
                available = 64
            }
            output.append(alphabet[Int(bits & 0x1F)])
            bits >>= 5
            available -= 5
        }
        return output
    }
}
