/// One member as `members list` shows them: who, on which networks, and what stops their mail.
///
/// Its JSON form is the contract of `members list --format json`:
/// `{"email", "name", "organisation", "networks": [id], "unsubscribed": bool, "invitations_off": bool, "undeliverable": str or null}`.
public struct MemberListing: Sendable, Equatable, Encodable {
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

    private enum CodingKeys: String, CodingKey {
        case email, name, organisation, networks, unsubscribed
        case invitationsOff = "invitations_off"
        case undeliverable
    }

    // Written out so that absent values appear as null rather than being left out.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(email, forKey: .email)
        try container.encode(name, forKey: .name)
        try container.encode(organisation, forKey: .organisation)
        try container.encode(networks, forKey: .networks)
        try container.encode(unsubscribed, forKey: .unsubscribed)
        try container.encode(invitationsOff, forKey: .invitationsOff)
        try container.encode(undeliverable, forKey: .undeliverable)
    }
}
