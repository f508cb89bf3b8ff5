/// What `MemberLists.remove` did.
public struct MemberRemoval: Sendable, Equatable {
    public var email: String
    /// Networks the member left, sorted.
    public var removedFrom: [String]
    /// The member was on no network after this and so was deleted.
    public var memberDeleted: Bool
}
