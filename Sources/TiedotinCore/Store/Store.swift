import Foundation
import GRDB

/// The SQLite database: one file, WAL mode, versioned migrations.
///
/// A `Store` is a value holding the connection pool; pass it down, never keep it in a global.
/// Every state change happens in one `write` transaction.
public struct Store: Sendable {
    /// The pool; one writer, many readers.
    public let writer: DatabasePool
    /// The file the database lives in.
    public let path: String

    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    public init(path: String) throws(StoreError) {
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw .cannotOpen(path: path, reason: "cannot create the folder \(folder): \(error.localizedDescription)")
            }
        }
        var configuration = GRDB.Configuration()
        configuration.busyMode = .timeout(10)
        configuration.foreignKeysEnabled = true
        configuration.prepareDatabase { db in
            // WAL is set once per file; synchronous is per connection.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        do {
            writer = try DatabasePool(path: path, configuration: configuration)
            try Store.migrator.migrate(writer)
        } catch {
            throw .cannotOpen(path: path, reason: "\(error)")
        }
        self.path = path
    }

    /// The ordered list of schema steps. Never edit a step once it has shipped; add a new one.
    public static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for migration in Schema.migrations {
            migrator.registerMigration(migration.name, migrate: migration.body)
        }
        return migrator
    }

    /// The names of the migrations applied to this database, in order.
    public func appliedMigrations() throws -> [String] {
        try writer.read { db in try Store.migrator.appliedMigrations(db) }
    }
}

/// Why the store could not do what was asked; written for the admin.
public enum StoreError: Error, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            "cannot open the database \(path): \(reason). Check paths.database in the config and that the service user may write there."
        }
    }
}
