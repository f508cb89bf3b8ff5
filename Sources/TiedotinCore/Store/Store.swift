import Foundation
import GRDB

/// The SQLite database: one file, WAL mode, versioned migrations.
///
/// A `Store` is a value holding the connection pool; pass it down, never keep it in a global.
/// Every state change happens in one `write` transaction.
///
/// Outside this library the store is opaque: commands reach the data through the areas' types
/// (`MemberLists`, `Outbox`, ...). Inside, each table has one area that writes it, through methods
/// of its own that keep the table's invariants (the `member` tables: Members; `outbox`: Delivery;
/// and so on); another area that needs a change calls that area's method, passing the `Database`
/// of its own transaction where the two changes must be one.
public struct Store: Sendable {
    /// The pool; one writer, many readers. Private: areas use `read` and `write`.
    private let pool: DatabasePool
    /// The file the database lives in.
    public let path: String

    /// How much of the database file SQLite reads through a memory map; past it, with system calls.
    static let mappedBytes = 256 << 20

    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    /// `busyTimeout` is how long a write waits for another connection's transaction to end.
    public init(path: String, busyTimeout: TimeInterval = 10) throws(StoreError) {
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw .cannotOpen(path: path, reason: "cannot create the folder \(folder): \(error.localizedDescription)")
            }
        }
        var configuration = GRDB.Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        configuration.foreignKeysEnabled = true
        configuration.prepareDatabase { db in
            // WAL is set once per file; synchronous is per connection.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // Page caches, private memory each: the writer's batches (a send's rows, its results)
            // write each page once, in order, and readers scan (status counts, lists) more than
            // they revisit. SQLite's default of 2 MB each measured no faster in delivery
            // (BENCHMARKS.md) and was a quarter of a send's private memory; the writer's 512 KiB
            // filled up as a send's results went in and set its peak, and 256 KiB queues, plans
            // and records as fast (the eleventh round).
            try db.execute(sql: "PRAGMA cache_size = -256")
            // Pages are read through a map of the file, not copied in with a system call each: a
            // claim reads a batch of rows with their header blocks while the connections send,
            // and a mapped page costs no private memory (BENCHMARKS.md, the ninth round). SQLite
            // maps the file read-only and checks its size at each transaction, so another process
            // shrinking it (a VACUUM) is seen (MappedFileTests); what is lost is a clean error on
            // a failing disk, which becomes SIGBUS: the service stops, systemd starts it again,
            // and the results journal keeps what was sent.
            try db.execute(sql: "PRAGMA mmap_size = \(Store.mappedBytes)")
        }
        do {
            pool = try Store.openPool(path: path, configuration: configuration, busyTimeout: busyTimeout)
            try Store.migrate(pool)
        } catch {
            throw .cannotOpen(path: path, reason: "\(error)")
        }
        self.path = path
    }

    /// Opens the pool, trying again while another process holds the file for a moment. Switching a
    /// file to WAL (its first open, or the first after an upgrade from a version before WAL) needs
    /// the file to itself, and SQLite does not wait for that with its busy handler: it answers
    /// SQLITE_BUSY at once. The service and an admin's command starting together would otherwise
    /// see one of them fail with "database is locked".
    private static func openPool(path: String, configuration: GRDB.Configuration, busyTimeout: TimeInterval) throws -> DatabasePool {
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(max(0, busyTimeout) * 1e9)
        while true {
            do {
                return try DatabasePool(path: path, configuration: configuration)
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && DispatchTime.now().uptimeNanoseconds < deadline {
                Thread.sleep(forTimeInterval: .random(in: 0.005...0.02))
            }
        }
    }

    /// Reads in a snapshot of the database; for the areas' own queries.
    func read<Value>(_ body: (Database) throws -> Value) throws -> Value {
        try pool.read(body)
    }

    /// Runs `body` in one write transaction: all of its changes or none. For the areas' own
    /// methods, each writing only the tables its area owns.
    func write<Value>(_ body: (Database) throws -> Value) throws -> Value {
        try pool.write(body)
    }

    /// Lets SQLite's page caches go and closes the idle readers; the next access opens what it needs.
    func releaseMemory() {
        pool.releaseMemory()
    }

    /// Brings the schema up to date, also when another process (the service starting, an admin's
    /// command) does the same at the same moment. GRDB reads which migrations a file has before it
    /// applies the rest, without a lock between the two, so both processes set out to apply the
    /// same one: the second's try then fails (its record of the migration is refused, or the
    /// change is there already) and its transaction leaves the file as it was. When a try fails and
    /// the file meanwhile has more migrations than before, it is tried again from where it now is;
    /// a failure with no such progress is a real one.
    private static func migrate(_ pool: DatabasePool) throws {
        let applied = { try pool.read { db in try migrator.appliedIdentifiers(db).count } }
        while true {
            let before = try applied()
            do {
                try migrator.migrate(pool)
                return
            } catch {
                guard try applied() > before else { throw error }
            }
        }
    }

    /// The ordered list of schema steps. Never edit a step once it has shipped; add a new one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for migration in Schema.migrations {
            migrator.registerMigration(migration.name, migrate: migration.body)
        }
        return migrator
    }

    /// The names of the migrations applied to this database, in order.
    public func appliedMigrations() throws -> [String] {
        try read { db in try Store.migrator.appliedMigrations(db) }
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
