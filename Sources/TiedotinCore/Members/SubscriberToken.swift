import GRDB

/// The personal unsubscribe token of one address: a row of the `subscriber_token` table.
///
/// Keyed by address, so it stays the same when the person is removed and added again and a link
/// in an old newsletter keeps working.
public struct SubscriberToken: StoreRecord, PersistableRecord, Sendable, Equatable {
    /// The table this record is a row of.
    public static let databaseTableName = "subscriber_token"

    /// The address lowercased.
    public var emailKey: String
    /// 26 characters of lowercase base32 (`a`–`z`, `2`–`7`): 128 random bits, safe in a URL and a mail subject.
    public var token: String

    /// A token row, not yet saved.
    public init(emailKey: String, token: String) {
        self.emailKey = emailKey
        self.token = token
    }

    /// The length of every token.
    public static let length = 26

    private static let alphabet = Array("abcdefghijklmnopqrstuvwxyz234567".unicodeScalars)

    /// A fresh token of 128 bits from `generator` (the system's cryptographic generator unless a test says otherwise).
    public static func random<Generator: RandomNumberGenerator>(using generator: inout Generator) -> String {
        // 128 bits in 5-bit groups: 25 full groups and 3 bits, padded with zeros into a 26th character.
        let high = generator.next() as UInt64
        let low = generator.next() as UInt64
        var text = String.UnicodeScalarView()
        for index in 0..<length {
            let bitOffset = index * 5
            var group: UInt64 = 0
            for bit in bitOffset..<(bitOffset + 5) {
                group <<= 1
                guard bit < 128 else { continue }
                let word = bit < 64 ? high : low
                group |= (word >> UInt64(63 - bit % 64)) & 1
            }
            text.append(alphabet[Int(group)])
        }
        return String(text)
    }

    /// The token of this address, made and saved now if the address has none yet.
    public static func token(_ db: Database, for emailKey: String) throws -> String {
        if let existing = try SubscriberToken.fetchOne(db, key: emailKey) {
            return existing.token
        }
        var generator = SystemRandomNumberGenerator()
        while true {
            let candidate = random(using: &generator)
            // A collision of 128 random bits will not happen, but the UNIQUE column would turn one into a failed send.
            if try SubscriberToken.filter(Column("token") == candidate).fetchCount(db) == 0 {
                try SubscriberToken(emailKey: emailKey, token: candidate).insert(db)
                return candidate
            }
        }
    }

    /// The address (lowercased) whose token this is, or nil for a token nobody was given.
    public static func emailKey(_ db: Database, forToken token: String) throws -> String? {
        let token = token.lowercased()
        guard token.count == length else { return nil }
        return try SubscriberToken.filter(Column("token") == token).fetchOne(db)?.emailKey
    }
}
