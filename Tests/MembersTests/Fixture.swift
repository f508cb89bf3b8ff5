import Foundation
import GRDB
@testable import TiedotinCore

/// A fresh database in its own temporary folder, with the member lists of the example config's networks.
final class Fixture {
    static let networks = [
        "jyry", "lapsiperheet", "mielenterveys", "ikaihmiset", "vammaispalvelut",
        "sote-keskus", "kuntoutus", "hyte", "seurakunnat", "aamukahvit",
    ]
    /// 2026-11-03 09:00 Helsinki time: a fixed clock.
    static let now = Date(timeIntervalSince1970: 1_793_689_200)

    let folder: URL
    let store: Store
    let lists: MemberLists

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("tiedotin-members-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        store = try Store(path: folder.appendingPathComponent("tiedotin.sqlite").path)
        lists = MemberLists(store: store, networks: Fixture.networks)
    }

    deinit {
        try? FileManager.default.removeItem(at: folder)
    }

    /// Writes `text` (UTF-8) to a file in the folder and returns its path.
    func write(_ name: String, _ text: String) throws -> String {
        try write(name, Data(text.utf8))
    }

    /// Writes `bytes` to a file in the folder and returns its path.
    func write(_ name: String, _ bytes: Data) throws -> String {
        let path = folder.appendingPathComponent(name).path
        try bytes.write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Reads `text` as a member file named `name`.
    func file(_ text: String, name: String = "jasenet.csv") throws -> MemberFile {
        try MemberFile.read(path: try write(name, text))
    }

    /// Imports `text` as a member file.
    @discardableResult
    func importText(_ text: String, skipInvalid: Bool = false, sync: String? = nil) throws -> ImportReport {
        try lists.importMembers(try file(text), skipInvalid: skipInvalid, sync: sync, at: Fixture.now)
    }

    /// Every row of the member tables, as text: equal snapshots mean an unchanged database.
    func snapshot() throws -> [String] {
        try store.read { db in
            var lines: [String] = []
            for table in ["member", "membership", "suppression", "subscriber_token"] {
                for row in try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY 1, 2") {
                    lines.append("\(table): \(row)")
                }
            }
            return lines
        }
    }

    /// The member with this address, as listed.
    func listing(_ email: String) throws -> MemberListing? {
        try lists.list().first { $0.email.lowercased() == email.lowercased() }
    }

    /// The addresses on one network.
    func emails(on network: String) throws -> [String] {
        try lists.list(network: network).map(\.email)
    }
}

/// The header every member file starts with.
let header = "email,name,organisation,networks\n"
