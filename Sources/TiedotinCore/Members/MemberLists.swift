import Foundation
import GRDB
import MIME

/// The member lists of the configured networks, as the admin changes them: add, remove, list, import.
///
/// Holds the store and the network ids the config knows, so that a typo in a network id is refused
/// instead of making a list nobody sends to. Every change is one write transaction: it happens
/// whole or not at all.
public struct MemberLists: Sendable {
    public let store: Store
    /// The network ids of the config, in the config's order.
    public let networks: [String]

    /// The lists in `store`, for a config that names `networks`.
    public init(store: Store, networks: [String]) {
        self.store = store
        self.networks = networks
    }

    /// Puts `email` on `networks`, making the member if needed. A name or organisation given replaces the
    /// stored one. Adding an address marked undeliverable clears the mark: the admin vouches for it.
    /// Throws `MemberError` for a bad address or network.
    @discardableResult
    public func add(
        email text: String, networks wanted: [String], name: String? = nil, organisation: String? = nil, at date: Date
    ) throws -> MemberAddition {
        let email = try MemberLists.checkedAddress(text)
        guard !wanted.isEmpty else { throw MemberError.noNetwork }
        for id in wanted where !networks.contains(id) {
            throw MemberError.unknownNetwork(id, known: networks)
        }
        let name = name.flatMap(MemberLists.singleLine)
        let organisation = organisation.flatMap(MemberLists.singleLine)
        if let name {
            do {
                try EmailAddress.validate(displayName: name)
            } catch {
                throw MemberError.invalidName(name, error)
            }
        }
        return try store.write { db in
            let key = Member.key(for: email)
            let original = try Member.fetchOne(db, emailKey: key)
            var member = original ?? Member(email: email, name: nil, organisation: nil, at: date)
            let clearedUndeliverable = member.undeliverable
            member.email = email
            if let name { member.name = name }
            if let organisation { member.organisation = organisation }
            member.undeliverable = nil
            member.undeliverableAt = nil
            let existing = try member.networkIds(db)
            if member != original {
                member.updatedAt = date
                try member.save(db)
            }
            let addedTo = Array(Set(wanted).subtracting(existing)).sorted()
            for id in addedTo {
                try Membership(memberId: member.id!, networkId: id).insert(db)
            }
            return MemberAddition(
                email: email, isNew: original == nil, addedTo: addedTo,
                alreadyOn: Array(Set(wanted).intersection(existing)).sorted(),
                clearedUndeliverable: clearedUndeliverable,
                suppression: try Suppression.fetchOne(db, emailKey: key))
        }
    }

    /// Takes `email` off `network`, or off every network when `network` is nil. A member left on no
    /// network is deleted; their unsubscribe and token stay with the address.
    /// Throws `MemberError.notAMember` or `.notOnNetwork`.
    @discardableResult
    public func remove(email text: String, network: String? = nil) throws -> MemberRemoval {
        let key = Member.key(for: MemberLists.cleaned(text) ?? "")
        return try store.write { db in
            guard let member = try Member.fetchOne(db, emailKey: key) else {
                throw MemberError.notAMember(text)
            }
            let existing = try member.networkIds(db)
            let leaving: [String]
            if let network {
                guard existing.contains(network) else {
                    throw MemberError.notOnNetwork(email: member.email, network: network, networks: existing)
                }
                leaving = [network]
            } else {
                leaving = existing
            }
            try Membership.filter(Column("member_id") == member.id!)
                .filter(leaving.contains(Column("network_id")))
                .deleteAll(db)
            let deleted = leaving.count == existing.count
            if deleted {
                try member.delete(db)
            }
            return MemberRemoval(email: member.email, removedFrom: leaving, memberDeleted: deleted)
        }
    }

    /// Every member, or the members of one network, ordered by address. Throws `MemberError.unknownNetwork`
    /// for a network that is neither in the config nor has members.
    public func list(network: String? = nil) throws -> [MemberListing] {
        try store.read { db in
            var memberships = try Membership.fetchAll(db)
            if let network {
                if !networks.contains(network), !memberships.contains(where: { $0.networkId == network }) {
                    throw MemberError.unknownNetwork(network, known: networks)
                }
                let ids = Set(memberships.filter { $0.networkId == network }.map(\.memberId))
                memberships = memberships.filter { ids.contains($0.memberId) }
            }
            var networksOf: [Int64: [String]] = [:]
            for membership in memberships {
                networksOf[membership.memberId, default: []].append(membership.networkId)
            }
            let suppressions = Dictionary(
                try Suppression.fetchAll(db).map { ($0.emailKey, $0.scope) }, uniquingKeysWith: { first, _ in first })
            return try Member.order(Column("email_key")).fetchAll(db).compactMap { member in
                guard let ids = networksOf[member.id!] else { return nil }
                let scope = suppressions[member.emailKey]
                return MemberListing(
                    email: member.email, name: member.name, organisation: member.organisation,
                    networks: ids.sorted(), unsubscribed: scope != nil, invitationsOff: scope == .all,
                    undeliverable: member.undeliverable)
            }
        }
    }

    /// Members of any network whose stored entry no message can be written for; sends leave them
    /// out. Ordered by address.
    public func unmailable() throws -> [UnmailableMember] {
        try store.read { db in
            // `status` asks this of the whole list: two columns through a cursor, not a record per member.
            let rows = try Row.fetchCursor(db, sql: """
                SELECT m.email, m.name FROM member m
                WHERE EXISTS (SELECT 1 FROM membership s WHERE s.member_id = m.id)
                ORDER BY m.email_key
                """)
            var found: [UnmailableMember] = []
            while let row = try rows.next() {
                let email: String = row[0]
                if let problem = UnmailableMember.problem(email: email, name: row[1]) {
                    found.append(UnmailableMember(email: email, problem: problem))
                }
            }
            return found
        }
    }

    /// The bare address in `text` (trimmed), or `MemberError.invalidAddress`.
    static func checkedAddress(_ text: String) throws(MemberError) -> String {
        let address = cleaned(text) ?? ""
        do {
            try EmailAddress.validate(address: address)
        } catch {
            throw .invalidAddress(text, error)
        }
        return address
    }

    /// `text` with every run of spaces and line breaks made one space (a name goes into a mail header,
    /// where a line break cannot be), or nil when nothing is left.
    static func singleLine(_ text: String) -> String? {
        let words = text.split(whereSeparator: { $0.isWhitespace || $0.isNewline })
        return words.isEmpty ? nil : words.joined(separator: " ")
    }

    /// `text` without surrounding spaces (non-breaking ones too, as spreadsheets leave them), or nil when nothing is left.
    static func cleaned(_ text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }
}
