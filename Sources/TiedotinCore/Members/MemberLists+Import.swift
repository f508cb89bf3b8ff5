import Foundation
import GRDB
import MIME

extension MemberLists {
    /// One person as the file describes them, rows merged.
    struct FileEntry {
        var email: String
        var name: String?
        var organisation: String?
        var networks: [String]
    }

    /// Imports the rows of `file`: each person (rows merged by address, any case) becomes a member of the
    /// union of their networks; a non-empty name or organisation replaces the stored one (the last row wins).
    /// Imports never lift an unsubscribe or an undeliverable mark, so importing the same file again changes nothing.
    ///
    /// With `sync`, every row is also on that network, and its members missing from the file leave it
    /// (deleted if on no other network). Rows skipped for a problem do not count as missing.
    ///
    /// All or nothing: any problem throws `MemberImportError` listing every one and changes nothing, unless
    /// `skipInvalid`, which imports the good rows and lists the others in the report.
    @discardableResult
    public func importMembers(
        _ file: MemberFile, skipInvalid: Bool = false, sync network: String? = nil, at date: Date
    ) throws -> ImportReport {
        if let network, !networks.contains(network) {
            throw MemberError.unknownNetwork(network, known: networks)
        }
        let (entries, problems) = entries(of: file, sync: network)
        if !problems.isEmpty, !skipInvalid {
            throw MemberImportError(file: file.path, problems: problems)
        }
        // A row skipped for a bad network still names a person: a sync must not drop them for it.
        let kept = Set(problems.compactMap { $0.email }.compactMap { try? EmailAddress(parsing: $0) }.map { Member.key(for: $0.address) })
        return try store.write { db in
            var report = ImportReport(syncedNetwork: network, skipped: problems)
            for (key, entry) in entries {
                let original = try Member.fetchOne(db, emailKey: key)
                var member = original ?? Member(email: entry.email, name: entry.name, organisation: entry.organisation, at: date)
                member.email = entry.email
                if let name = entry.name { member.name = name }
                if let organisation = entry.organisation { member.organisation = organisation }
                let existing = try member.networkIds(db)
                let joining = entry.networks.filter { !existing.contains($0) }
                if member != original {
                    member.updatedAt = date
                    try member.save(db)
                }
                for id in joining {
                    try Membership(memberId: member.id!, networkId: id).insert(db)
                }
                if original == nil {
                    report.added.append(entry.email)
                } else if member != original || !joining.isEmpty {
                    report.changed.append(entry.email)
                } else {
                    report.unchanged.append(entry.email)
                }
            }
            if let network {
                let inFile = Set(entries.map(\.key)).union(kept)
                let onNetwork = try Member.joining(required: Member.memberships.inNetwork(network))
                    .order(Column("email_key")).fetchAll(db)
                for member in onNetwork where !inFile.contains(member.emailKey) {
                    try Membership.filter(Column("member_id") == member.id!).inNetwork(network).deleteAll(db)
                    report.removed.append(member.email)
                    if try Membership.filter(Column("member_id") == member.id!).fetchCount(db) == 0 {
                        try member.delete(db)
                        report.deleted.append(member.email)
                    }
                }
            }
            return report
        }
    }

    /// The file's people, in the order they first appear and keyed by address, and every problem of its rows.
    func entries(of file: MemberFile, sync network: String?) -> (entries: [(key: String, value: FileEntry)], problems: [ImportProblem]) {
        var problems = file.problems
        var order: [String] = []
        var people: [String: FileEntry] = [:]
        for row in file.rows {
            var rowProblems: [String] = []
            var address: EmailAddress?
            if row.email.isEmpty {
                rowProblems.append("no address in the email column; write the member's address there, or delete the row")
            } else {
                do {
                    address = try EmailAddress(parsing: row.email)
                } catch {
                    rowProblems.append("\(row.email.debugDescription) is not an email address: \(error); correct it in the email column, or delete the row")
                }
            }
            if let name = row.name {
                do {
                    try EmailAddress.validate(displayName: name)
                } catch {
                    rowProblems.append("the name \(UnmailableMember.visible(name)) cannot go in a mail header: \(error)")
                }
            }
            let unknown = row.networks.filter { !networks.contains($0) }
            if !unknown.isEmpty {
                rowProblems.append("""
                    unknown \(unknown.count == 1 ? "network" : "networks") \(unknown.map(\.debugDescription).joined(separator: ", ")) \
                    in the networks column; use ids from the config (\(networks.joined(separator: ", "))) \
                    or add the network to the config first
                    """)
            }
            if row.networks.isEmpty, network == nil {
                rowProblems.append("""
                    no network in the networks column; write the ids of the member's networks separated by ; \
                    (for example jyry;hyte), or import with --sync NETWORK
                    """)
            }
            guard rowProblems.isEmpty, let address else {
                problems += rowProblems.map { ImportProblem(line: row.line, message: $0, email: row.email) }
                continue
            }
            let key = Member.key(for: address.address)
            var entry = people[key] ?? FileEntry(email: address.address, networks: [])
            if people[key] == nil { order.append(key) }
            entry.email = address.address
            if let name = row.name ?? address.displayName { entry.name = name }
            if let organisation = row.organisation { entry.organisation = organisation }
            for id in row.networks + (network.map { [$0] } ?? []) where !entry.networks.contains(id) {
                entry.networks.append(id)
            }
            people[key] = entry
        }
        problems.sort { ($0.line ?? 0) < ($1.line ?? 0) }
        return (order.map { ($0, people[$0]!) }, problems)
    }
}
