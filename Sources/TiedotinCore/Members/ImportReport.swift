/// What `MemberLists.importMembers` did, person by person (a person on several rows counts once).
public struct ImportReport: Sendable, Equatable {
    /// Addresses that became members.
    public var added: [String] = []
    /// Members who joined a network or got a new name, organisation or spelling of their address.
    public var changed: [String] = []
    /// Members in the file with nothing new.
    public var unchanged: [String] = []
    /// The network `--sync` made the file's rows into, if any.
    public var syncedNetwork: String?
    /// Members of `syncedNetwork` who were not in the file and left it.
    public var removed: [String] = []
    /// Of `removed`, those on no other network, whose member records went with it.
    public var deleted: [String] = []
    /// Rows left out with `--skip-invalid`, with why.
    public var skipped: [ImportProblem] = []

    /// The number of rows skipped (a row may have more than one problem).
    public var skippedRows: Int { Set(skipped.map { $0.line ?? 0 }).count }

    /// `3 added, 1 changed, 2 removed from jyry, 20 unchanged, 0 skipped`.
    public var summary: String {
        var parts = ["\(added.count) added", "\(changed.count) changed"]
        if let syncedNetwork { parts.append("\(removed.count) removed from \(syncedNetwork)") }
        parts.append("\(unchanged.count) unchanged")
        parts.append("\(skippedRows) skipped")
        return parts.joined(separator: ", ")
    }
}
