import MIME

/// Why a change to the member lists was refused; written for the admin at the command line.
/// Nothing was changed when one of these is thrown.
public enum MemberError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text is not an address mail can go to.
    case invalidAddress(String, EmailAddressError)
    /// The name cannot go in a mail header (a control character, say).
    case invalidName(String, EmailAddressError)
    /// A network id the config does not list.
    case unknownNetwork(String, known: [String])
    /// A member must be on at least one network.
    case noNetwork
    /// No member has this address.
    case notAMember(String)
    /// The member is not on that network.
    case notOnNetwork(email: String, network: String, networks: [String])

    public var description: String {
        switch self {
        case .invalidAddress(let text, let reason):
            "\(text.debugDescription) is not an email address: \(reason); write it as name@example.fi"
        case .invalidName(let name, let reason):
            "\(UnmailableMember.visible(name)) cannot be a member's name: \(reason)"
        case .unknownNetwork(let id, let known):
            "there is no network \(id.debugDescription) in the config; "
                + (known.isEmpty ? "add it under networks: first" : "use one of \(known.joined(separator: ", "))")
        case .noNetwork:
            "a member must be on at least one network: give --network ID"
        case .notAMember(let email):
            "\(email) is not a member; nothing changed (`tiedotin members list` shows who is)"
        case .notOnNetwork(let email, let network, let networks):
            "\(email) is not on \(network) (only on \(networks.joined(separator: ", "))); nothing changed"
        }
    }
}
