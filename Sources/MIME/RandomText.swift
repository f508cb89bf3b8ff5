/// Unguessable random text for Message-IDs and multipart boundaries, from the system's
/// cryptographic source (`SystemRandomNumberGenerator`).
enum RandomText {
    private static let alphabet: [UInt8] = Array("abcdefghijklmnopqrstuvwxyz234567".utf8)

    /// `count` characters of a 32-letter alphabet that needs no quoting or encoding anywhere. Each 64-bit
    /// draw gives 13 characters, 12 of 5 random bits and one of 4, so 26 characters carry 128 bits.
    static func make(count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return make(count: count, using: &generator)
    }

    /// `count` characters as `make(count:)` makes them, from `generator`'s numbers.
    static func make(count: Int, using generator: inout some RandomNumberGenerator) -> [UInt8] {
        var output = [UInt8]()
        output.reserveCapacity(count)
        var bits: UInt64 = 0
        var available = 0
        while output.count < count {
            if available <= 0 {
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
