/// What `MemberLists.add` did.
public struct MemberAddition: Sendable, Equatable {
    public var email: String
    /// The address was not a member before.
    public var isNew: Bool
    /// Networks the member joined now, sorted.
    public var addedTo: [String]
    /// Networks asked for that the member was on already, sorted.
    public var alreadyOn: [String]
    /// The undeliverable mark (the relay's answer) that adding cleared, if there was one.
    public var clearedUndeliverable: String?
    /// The address's unsubscribe, which adding does not lift.
    public var suppression: Suppression?
}
