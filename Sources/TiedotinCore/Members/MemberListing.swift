/// One member as `members list` shows them: who, on which networks, and what stops their mail.
///
/// Its JSON form is the contract of `members list --format json`:
/// `{"email", "name", "organisation", "networks": [id], "unsubscribed": bool, "invitations_off": bool, "undeliverable": str or null}`.
public struct MemberListing: Sendable, Equatable {
    public var email: String
    public var name: String?
    public var organisation: String?
    /// Network ids, sorted.
    public var networks: [String]
    /// Unsubscribed from newsletters and notices (any unsubscribe).
    public var unsubscribed: Bool
    /// Unsubscribed from invitations too (`unsubscribe --all`).
    public var invitationsOff: Bool
    /// The relay's answer when mail to the address failed permanently, else nil.
    public var undeliverable: String?

    /// A listing line.
    public init(
        email: String, name: String?, organisation: String?, networks: [String], unsubscribed: Bool,
        invitationsOff: Bool, undeliverable: String?
    ) {
        self.email = email
        self.name = name
        self.organisation = organisation
        self.networks = networks
        self.unsubscribed = unsubscribed
        self.invitationsOff = invitationsOff
        self.undeliverable = undeliverable
    }
}
