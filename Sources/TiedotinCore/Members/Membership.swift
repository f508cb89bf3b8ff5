import GRDB

/// That one member is on one network: a row of the `membership` table.
public struct Membership: StoreRecord, PersistableRecord, Sendable, Hashable {
    /// The table this record is a row of.
    public static let databaseTableName = "membership"

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
