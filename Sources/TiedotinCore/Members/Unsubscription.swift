/// What an unsubscribe did.
public struct Unsubscription: Sendable, Equatable {
    /// The address lowercased.
    public var emailKey: String
    /// The scope in force now (the wider of the old and the new).
    public var scope: SuppressionScope
    /// The unsubscribe that was there before, if any; when its scope equals `scope`, nothing changed.
    public var previous: Suppression?
    /// Whether the address is on any member list now.
    public var isMember: Bool
    /// Messages to the address that were still waiting to go and were taken back (`Outbox.withdraw`).
    public var withdrawn = 0

    /// Whether this call changed anything.
    public var changed: Bool { previous?.scope != scope }
}
