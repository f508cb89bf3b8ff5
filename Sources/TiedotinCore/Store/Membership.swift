import GRDB

/// That one member is on one network: a row of the `membership` table.
public struct Membership: Codable, Sendable, Hashable, FetchableRecord, PersistableRecord {
    /// The table this record is a row of.
    public static let databaseTableName = "membership"
    /// Columns are snake_case (`email_key`), properties camelCase (`emailKey`).
    public static let databaseColumnDecodingStrategy = DatabaseColumnDecodingStrategy.convertFromSnakeCase
    /// The same as `databaseColumnDecodingStrategy`, for writing.
    public static let databaseColumnEncodingStrategy = DatabaseColumnEncodingStrategy.convertToSnakeCase

    public var memberId: Int64
    /// A network id from the config (`networks[].id`).
    public var networkId: String

    /// That the member with this row id is on this network.
    public init(memberId: Int64, networkId: String) {
        self.memberId = memberId
        self.networkId = networkId
    }
}

extension DerivableRequest<Membership> {
    /// Memberships of one network.
    public func inNetwork(_ networkId: String) -> Self {
        filter(Column("network_id") == networkId)
    }
}
