import Foundation
import GRDB
import GRDBSQLite

/// The durable delivery queue: what every recipient of a send shares, and one row per recipient.
///
/// Planning code puts whole sends in with `enqueue` (one transaction: all or nothing);
/// delivery takes rows out with `claim` and writes back what the relay said with `record`.
public struct Outbox: Sendable {
    public let store: Store

    public init(store: Store) {
        self.store = store
    }

    // MARK: Putting mail in

    /// Queues one send: the shared body once and a row per recipient, in one transaction.
    /// Returns the body's id, which identifies the send (`--wait` watches it).
    @discardableResult
    public func enqueue(_ send: OutboxSend, at date: Date) throws -> Int64 {
        try enqueue(at: date) { _ in send }
    }

    /// Queues the send that `build` makes inside the same write transaction, so that the
    /// recipients it reads and the rows it writes are one consistent step: all or nothing.
    @discardableResult
    public func enqueue(at date: Date, building build: (Database) throws -> OutboxSend) throws -> Int64 {
        try enqueue(at: date, building: build, adding: { _, _ in })
    }

    /// Queues a send whose rows `add` writes one at a time, in the same transaction as `build`
    /// makes the send, each row as soon as it is made: a send to thousands never holds every
    /// message in memory at once. The send's own `messages` go first. A throw queues nothing.
    @discardableResult
    public func enqueue(
        at date: Date, building build: (Database) throws -> OutboxSend,
        adding add: (Database, _ row: (OutboxMessage) throws -> Void) throws -> Void
    ) throws -> Int64 {
        try store.write { db in
            let rows = try insert(build(db), at: date, db)
            try add(db, rows.add)
            return rows.bodyID
        }
    }

    /// Queues many small sends in one write transaction, each in a savepoint of its own: a send
    /// whose `build` throws queues nothing of itself (neither its rows nor what `build` wrote), and
    /// the others go. Returns each item's send id or error, in order, once the transaction has
    /// committed. A failed commit, or an error on which SQLite rolls the whole transaction back
    /// (a full disk, say), throws and queues none of them.
    /// Fifty thousand meeting invitations each in a transaction of its own paid a commit each
    /// (BENCHMARKS.md, the eleventh round).
    public func enqueueEach<Item>(
        _ items: [Item], at date: Date, building build: (Database, Item) throws -> OutboxSend
    ) throws -> [Result<Int64, any Error>] {
        try store.write { db in
            var results: [Result<Int64, any Error>] = []
            for item in items {
                do {
                    var bodyID: Int64 = 0
                    try db.inSavepoint {
                        bodyID = try insert(build(db, item), at: date, db).bodyID
                        return .commit
                    }
                    results.append(.success(bodyID))
                } catch {
                    // With the transaction gone, the items after would each go in one of their own.
                    guard db.isInsideTransaction else { throw error }
                    results.append(.failure(error))
                }
            }
            return results
        }
    }

    /// Writes the shared body and the send's own messages; returns the body's id and what writes
    /// a further recipient's row of it.
    private func insert(_ send: OutboxSend, at date: Date, _ db: Database) throws -> (bodyID: Int64, add: (OutboxMessage) throws -> Void) {
        try db.execute(
            sql: "INSERT INTO outbox_body (kind, subject, content, edition_id, meeting_id, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [send.kind, send.subject, Data(send.body), send.editionID, send.meetingID, date.timeIntervalSince1970])
        let bodyID = db.lastInsertedRowID
        let row = try db.makeStatement(sql: """
            INSERT INTO outbox (body_id, recipient, envelope_from, state, next_attempt_at, queued_at)
            VALUES (?, ?, ?, 'queued', ?, ?)
            """)
        let content = try db.makeStatement(sql: "INSERT INTO outbox_content (outbox_id, headers, substitutions) VALUES (?, ?, ?)")
        let time = date.timeIntervalSince1970
        let add = { (message: OutboxMessage) in
            try Outbox.insert(message, bodyID: bodyID, at: time, row: row, content: content, in: db)
        }
        for message in send.messages { try add(message) }
        return (bodyID, add)
    }

    /// One recipient's two rows, their values bound with SQLite's own calls as `recordSent` binds
    /// its: no array of boxed arguments and no `Data` copy of the header block for each of the
    /// thousands of rows a send queues.
    private static func insert(_ message: OutboxMessage, bodyID: Int64, at time: Double, row: Statement, content: Statement, in db: Database) throws {
        let rowHandle = row.sqliteStatement
        sqlite3_bind_int64(rowHandle, 1, bodyID)
        bind(message.recipient, at: 2, to: rowHandle)
        bind(message.envelopeSender, at: 3, to: rowHandle)
        sqlite3_bind_double(rowHandle, 4, time)
        sqlite3_bind_double(rowHandle, 5, time)
        try run(row, in: db)

        let contentHandle = content.sqliteStatement
        sqlite3_bind_int64(contentHandle, 1, sqlite3_last_insert_rowid(db.sqliteConnection))
        message.header.withUnsafeBytes { bytes in
            // A null pointer would bind NULL, and the column wants bytes, even none.
            guard let start = bytes.baseAddress else { return _ = sqlite3_bind_zeroblob(contentHandle, 2, 0) }
            sqlite3_bind_blob(contentHandle, 2, start, Int32(bytes.count), transient)
        }
        if let substitutions = message.substitutions { bind(substitutions, at: 3, to: contentHandle) } else { sqlite3_bind_null(contentHandle, 3) }
        try run(content, in: db)
    }

    /// What SQLite's result `code` for `statement` means, as GRDB reports its own errors.
    private static func failure(_ code: Int32, of statement: Statement, in db: Database) -> DatabaseError {
        DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: statement.sql)
    }

    /// SQLITE_TRANSIENT: SQLite copies a bound value before the bind call returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// Binds `text` as TEXT to parameter `index` (from 1); SQLite keeps its own copy.
    private static func bind(_ text: String, at index: Int32, to handle: OpaquePointer) {
        var text = text
        text.withUTF8 { bytes in
            guard let start = bytes.baseAddress else { return _ = sqlite3_bind_text(handle, index, "", 0, nil) }
            sqlite3_bind_text(handle, index, UnsafeRawPointer(start).assumingMemoryBound(to: CChar.self), Int32(bytes.count), transient)
        }
    }

    /// Steps a statement whose values are bound to its end, then resets it for the next values;
    /// throws SQLite's error with the statement's SQL.
    private static func run(_ statement: Statement, in db: Database) throws {
        let handle = statement.sqliteStatement
        let code = sqlite3_step(handle)
        sqlite3_reset(handle)
        guard code == SQLITE_DONE else {
            throw Outbox.failure(code, of: statement, in: db)
        }
    }

    // MARK: Taking mail out

    /// Where delivery keeps results the database has not taken yet (`ResultJournal`).
    var journalPath: String { ResultJournal.path(forDatabase: store.path) }

    /// What `recoverInterrupted` found.
    public struct Recovery: Sendable, Equatable {
        /// Results the journal kept and the database did not have yet: written now, not sent again.
        public var recorded: Int
        /// Rows left `sending` with no result: they may or may not have reached the relay, and go again.
        public var requeued: Int
    }

    /// After a crash, writes the results the journal kept, then puts rows an older version left
    /// in `sending` back in line: those may or may not have reached the relay, and go again.
    /// (This version never marks a row: a message in flight at a crash is still `queued` or
    /// `deferred` and simply goes again, which is DESIGN's duplicate bound.)
    /// Call only while holding the delivery lock.
    @discardableResult
    public func recoverInterrupted() throws -> Recovery {
        let journaled = try ResultJournal.results(at: journalPath)
        let recovery = try store.write { db in
            let recorded = try Outbox.record(journaled, in: db)
            try db.execute(sql: "UPDATE outbox SET state = 'queued' WHERE state = 'sending'")
            return Recovery(recorded: recorded, requeued: db.changesCount)
        }
        try ResultJournal.clear(at: journalPath)
        return recovery
    }

    /// Where a round's claims have got to in the due order: the next claim starts after it.
    struct ClaimCursor: Sendable, Equatable {
        var dueAt: Double
        var id: Int64
    }

    /// Up to `limit` due rows after `cursor`, oldest due first, read without changing them.
    ///
    /// Claiming writes nothing. Only one process delivers (the delivery lock), and within it the
    /// round hands each row to one connection; the row changes once, when its result is written.
    /// Marking rows `sending` as they were taken cost a second write of every row, and was the
    /// largest single cost of delivery at four connections (BENCHMARKS.md). The cursor keeps the
    /// round from reading again what it has taken but whose results are not written yet.
    /// Call only while holding the delivery lock.
    func claim(limit: Int, now: Date, after cursor: ClaimCursor? = nil) throws -> [ClaimedMessage] {
        try store.read { db in
            var claimed: [ClaimedMessage] = []
            claimed.reserveCapacity(limit)
            // Two reads, not one row-value comparison `(next_attempt_at, id) > (?, ?)`: SQLite seeks
            // the due index only by its first column there, and a send's rows all fall due at the
            // same moment, so each claim would walk again past every row the round had taken.
            if let cursor, cursor.dueAt <= now.timeIntervalSince1970 {
                try Outbox.readClaimed(db.cachedStatement(sql: Outbox.claimSQL(where: "next_attempt_at = ? AND outbox.id > ?", order: "outbox.id")),
                                       [cursor.dueAt, cursor.id, limit], into: &claimed, in: db)
            }
            if claimed.count < limit {
                try Outbox.readClaimed(db.cachedStatement(sql: Outbox.claimSQL(where: "next_attempt_at > ? AND next_attempt_at <= ?", order: "next_attempt_at, outbox.id")),
                                       [cursor?.dueAt ?? -.infinity, now.timeIntervalSince1970, limit - claimed.count], into: &claimed, in: db)
            }
            return claimed
        }
    }

    /// A claim's SELECT: the waiting rows matching `condition` in the due index, in `order`, up to a
    /// limit, each with its own header block. A join, not a subquery per column: one lookup of the
    /// content row instead of two.
    private static func claimSQL(where condition: String, order: String) -> String {
        """
        SELECT outbox.id, body_id, recipient, envelope_from, content.headers, content.substitutions,
            attempts, queued_at, next_attempt_at
        FROM outbox LEFT JOIN outbox_content AS content ON content.outbox_id = outbox.id
        WHERE state IN ('queued', 'deferred') AND \(condition)
        ORDER BY \(order) LIMIT ?
        """
    }

    /// Reads a claim's rows with SQLite's own column calls, by position in the order the SELECT
    /// names them: through GRDB's rows each value took a generic lookup, and this runs for every
    /// message delivered. The envelope sender, the same for every row of a send, is made once.
    private static func readClaimed(_ statement: Statement, _ arguments: StatementArguments, into claimed: inout [ClaimedMessage], in db: Database) throws {
        try statement.setArguments(arguments)
        let handle = statement.sqliteStatement
        defer { sqlite3_reset(handle) }
        var sender = ""
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else {
                throw Outbox.failure(code, of: statement, in: db)
            }
            let senderBytes = columnBytes(handle, 3)
            if !sender.utf8.elementsEqual(senderBytes) { sender = String(decoding: senderBytes, as: UTF8.self) }
            claimed.append(ClaimedMessage(
                id: sqlite3_column_int64(handle, 0), bodyID: sqlite3_column_int64(handle, 1),
                recipient: String(decoding: columnBytes(handle, 2), as: UTF8.self), envelopeSender: sender,
                header: [UInt8](columnBytes(handle, 4)),
                substitutions: sqlite3_column_type(handle, 5) == SQLITE_NULL ? nil : String(decoding: columnBytes(handle, 5), as: UTF8.self),
                attempts: Int(sqlite3_column_int64(handle, 6)), queuedAt: Date(timeIntervalSince1970: sqlite3_column_double(handle, 7)),
                dueAt: sqlite3_column_double(handle, 8)))
        }
    }

    /// The bytes of a text or blob column of the current row, valid until the next step.
    private static func columnBytes(_ handle: OpaquePointer, _ column: Int32) -> UnsafeRawBufferPointer {
        // The blob call first, then the length: the order SQLite documents.
        guard let start = sqlite3_column_blob(handle, column) else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: start, count: Int(sqlite3_column_bytes(handle, column)))
    }

    /// The shared body of a send.
    func body(_ id: Int64) throws -> [UInt8] {
        try store.read { db in
            guard let data = try Data.fetchOne(db, sql: "SELECT content FROM outbox_body WHERE id = ?", arguments: [id]) else {
                return []
            }
            return [UInt8](data)
        }
    }

    /// Writes what became of several attempts (of every connection) in one transaction; an unknown
    /// address is marked undeliverable on the member lists in the same one. Returns the rows
    /// the batch held.
    func record(_ batch: ResultBatch) throws -> [Int64] {
        try store.write { db in
            var sentStatement: Statement?
            var ids: [Int64] = []
            try batch.forEachChunk { results in
                _ = try Outbox.record(results, in: db, sentStatement: &sentStatement)
                ids += results.lazy.map(\.id)
            }
            return ids
        }
    }

    /// Writes `results` in order; returns how many applied to their attempt.
    private static func record(_ results: [AttemptResult], in db: Database) throws -> Int {
        var sentStatement: Statement?
        return try record(results, in: db, sentStatement: &sentStatement)
    }

    private static func record(_ results: [AttemptResult], in db: Database, sentStatement: inout Statement?) throws -> Int {
        // The statement for a sent result is looked up once: finding it in GRDB's cache hashes its SQL.
        var recorded = 0
        for result in results where try record(result, in: db, sentStatement: &sentStatement) { recorded += 1 }
        return recorded
    }

    /// A result applies to a row still waiting (`sending`: claimed by an older version) with the
    /// attempts it had when claimed. Written out with OR: SQLite compiles an IN list of three or
    /// more into a temporary table built at every execution, which made each result cost six
    /// times as much.
    private static let unrecordedAttempt = "(\(waitingStates)) AND attempts"
    private static let waitingStates = "state = 'queued' OR state = 'deferred' OR state = 'sending'"

    /// A message the relay took: the row becomes `sent`. Also a row taken back (`withdraw`: failed
    /// with no attempt added, so still at the attempt it was claimed with) while its message was
    /// on the wire: it went, and the outbox says so.
    private static let recordSentSQL = """
        UPDATE outbox SET state = 'sent', attempts = attempts + 1, last_attempt_at = ?1, sent_at = ?1,
            last_code = ?2, last_answer = ?3
        WHERE id = ?4 AND (\(waitingStates) OR state = 'failed') AND attempts = ?5
        """

    /// `recordSentSQL` for one result, its values bound with SQLite's own calls: through GRDB's
    /// arguments (an array of boxed values per row, checked and bound one by one) the binding cost
    /// more than the update, and this runs once per message delivered.
    private static func recordSent(_ result: AttemptResult, with statement: Statement, in db: Database) throws {
        let handle = statement.sqliteStatement
        sqlite3_reset(handle)
        sqlite3_bind_double(handle, 1, result.at.timeIntervalSince1970)
        if let code = result.code { sqlite3_bind_int64(handle, 2, Int64(code)) } else { sqlite3_bind_null(handle, 2) }
        bind(result.answer, at: 3, to: handle)
        sqlite3_bind_int64(handle, 4, result.id)
        sqlite3_bind_int64(handle, 5, Int64(result.attemptsBefore))
        try run(statement, in: db)
    }

    /// Writes one result to the attempt it belongs to: a row still waiting with the attempts it had
    /// when claimed (`sending` is a row an older version claimed). A result written before (the
    /// journal may hold it twice after a crash) changes nothing, since every result written adds
    /// an attempt. Returns whether it was written.
    private static func record(_ result: AttemptResult, in db: Database, sentStatement: inout Statement?) throws -> Bool {
        let time = result.at.timeIntervalSince1970
        // Only a hand-off counts for the rate caps (which read last_attempt_at).
        let handedAt = result.handedOff ? time : nil
        switch result.verdict {
        case .sent:
            let statement = try sentStatement ?? db.cachedStatement(sql: recordSentSQL)
            sentStatement = statement
            try recordSent(result, with: statement, in: db)
        case .deferred(let next):
            try db.execute(sql: """
                UPDATE outbox SET state = 'deferred', attempts = attempts + 1, last_attempt_at = coalesce(?, last_attempt_at),
                    next_attempt_at = ?, last_code = ?, last_answer = ?
                WHERE id = ? AND \(unrecordedAttempt) = ?
                """, arguments: [handedAt, next.timeIntervalSince1970, result.code, result.answer, result.id, result.attemptsBefore])
        case .failed:
            try db.execute(sql: """
                UPDATE outbox SET state = 'failed', attempts = attempts + 1, last_attempt_at = coalesce(?, last_attempt_at),
                    last_code = ?, last_answer = ? WHERE id = ? AND \(unrecordedAttempt) = ?
                """, arguments: [handedAt, result.code, result.answer, result.id, result.attemptsBefore])
        }
        guard db.changesCount > 0 else { return false }
        if case .failed(addressUnknown: true) = result.verdict {
            // The admin sees it in `members list` and can clean the list.
            try Member.markUndeliverable(db, address: result.recipient, answer: result.answer, at: result.at)
        }
        if case .sent = result.verdict {} else {
            try Outbox.setLastError(db, "\(result.recipient): \(result.answer)", at: result.at)
        }
        return true
    }

    /// Defers every due row at once without trying it: the relay cannot be reached, so trying
    /// each would only repeat the same failure. Attempts are not counted.
    func deferAllDue(until next: Date, answer: String, now: Date) throws -> Int {
        try store.write { db in
            try db.execute(sql: """
                UPDATE outbox SET state = 'deferred', next_attempt_at = ?, last_answer = ?
                WHERE state IN ('queued', 'deferred') AND next_attempt_at <= ?
                """, arguments: [next.timeIntervalSince1970, answer, now.timeIntervalSince1970])
            let count = db.changesCount
            try Outbox.setLastError(db, answer, at: now)
            return count
        }
    }

    /// Fails rows older than the retry limit that are still waiting, with "gave up after ...".
    func giveUp(queuedBefore limit: Date, giveUpAfter: String, now: Date) throws -> Int {
        try store.write { db in
            try db.execute(sql: """
                UPDATE outbox SET state = 'failed',
                    last_answer = 'gave up after \(giveUpAfter): ' || coalesce(last_answer, 'never reached the relay')
                WHERE state IN ('queued', 'deferred') AND state = 'deferred' AND queued_at < ?
                -- The IN term is the due index's own condition: it lets SQLite read only the waiting
                -- rows through that index, not the whole outbox, which grows with every send.
                """, arguments: [limit.timeIntervalSince1970])
            return db.changesCount
        }
    }

    // MARK: Looking

    /// How many messages are in each state; of one send when `bodyIDs` is given.
    public func counts(bodyIDs: [Int64]? = nil) throws -> OutboxCounts {
        try store.read { db in
            var counts = OutboxCounts()
            var sql = "SELECT state, count(*) FROM outbox"
            var arguments = StatementArguments()
            if let bodyIDs {
                sql += " WHERE body_id IN (\(bodyIDs.map { _ in "?" }.joined(separator: ",")))"
                arguments = StatementArguments(bodyIDs)
            }
            for row in try Row.fetchAll(db, sql: sql + " GROUP BY state", arguments: arguments) {
                if let state = OutboxState(rawValue: row[0]) { counts[state] = row[1] }
            }
            return counts
        }
    }

    /// Failed messages, newest first, with the server's answer.
    public func failures(limit: Int = 100) throws -> [FailedMessage] {
        try store.read { db in
            try Row.fetchAll(db, sql: """
                SELECT o.recipient, b.subject, o.last_answer, o.last_code, coalesce(o.last_attempt_at, o.queued_at) AS at
                FROM outbox o JOIN outbox_body b ON b.id = o.body_id
                WHERE o.state = 'failed' ORDER BY at DESC, o.id DESC LIMIT ?
                """, arguments: [limit]).map { row in
                FailedMessage(
                    recipient: row["recipient"], subject: row["subject"], answer: row["last_answer"] ?? "",
                    code: row["last_code"], at: Date(timeIntervalSince1970: row["at"]))
            }
        }
    }

    /// Deferred messages, soonest retry first.
    public func deferred(limit: Int = 100) throws -> [DeferredMessage] {
        try store.read { db in
            try Row.fetchAll(db, sql: """
                SELECT o.recipient, b.subject, o.last_answer, o.attempts, o.next_attempt_at
                FROM outbox o JOIN outbox_body b ON b.id = o.body_id
                WHERE o.state = 'deferred' ORDER BY o.next_attempt_at, o.id LIMIT ?
                """, arguments: [limit]).map { row in
                DeferredMessage(
                    recipient: row["recipient"], subject: row["subject"], answer: row["last_answer"] ?? "",
                    attempts: row["attempts"], nextAttempt: Date(timeIntervalSince1970: row["next_attempt_at"]))
            }
        }
    }

    /// When the next waiting message falls due, if any waits.
    public func nextAttempt() throws -> Date? {
        try store.read { db in
            try Double.fetchOne(db, sql: "SELECT min(next_attempt_at) FROM outbox WHERE state IN ('queued', 'deferred')")
                .map(Date.init(timeIntervalSince1970:))
        }
    }

    /// When messages were handed to the relay since `date`, oldest first (for the rate caps).
    func handoffs(since date: Date) throws -> [Date] {
        try store.read { db in
            // A scan, done once when delivery starts: an index on it would cost a write per message.
            try Double.fetchAll(db, sql: """
                SELECT last_attempt_at FROM outbox WHERE last_attempt_at >= ? ORDER BY last_attempt_at
                """, arguments: [date.timeIntervalSince1970]).map(Date.init(timeIntervalSince1970:))
        }
    }

    /// What `retryNow` did.
    public struct Retry: Sendable, Equatable {
        /// The sends (body ids) with messages due now.
        public var sends: [Int64]
        /// Failed messages left failed: their address has since been unsubscribed from such mail
        /// or marked undeliverable.
        public var keptFailed: Int
    }

    /// Makes deferred messages (and failed ones too, with `includeFailed`) due now.
    ///
    /// A failed message goes again only to an address that still takes it: one failed while its
    /// recipient was subscribed, and the recipient unsubscribed (or a bounce marked the address)
    /// before the admin retried, stays failed. An unsubscribe must stop mail that has not gone yet.
    @discardableResult
    public func retryNow(includeFailed: Bool, now: Date) throws -> Retry {
        try store.write { db in
            let time = now.timeIntervalSince1970
            var sends = Set(try Int64.fetchAll(db, sql: """
                UPDATE outbox SET state = 'queued', next_attempt_at = ? WHERE state = 'deferred' RETURNING body_id
                """, arguments: [time]))
            guard includeFailed else { return Retry(sends: Array(sends), keptFailed: 0) }
            var kept = 0
            let failed = try Row.fetchAll(db, sql: """
                SELECT outbox.id, outbox.body_id, outbox.recipient, body.kind
                FROM outbox JOIN outbox_body AS body ON body.id = outbox.body_id WHERE outbox.state = 'failed'
                """)
            // A failed message gets a fresh retry period, as if queued now.
            let retry = try db.makeStatement(sql: "UPDATE outbox SET state = 'queued', next_attempt_at = ?, queued_at = ? WHERE id = ?")
            for row in failed {
                guard try Outbox.addressTakes(kind: row["kind"], recipient: row["recipient"], db) else {
                    kept += 1
                    continue
                }
                try retry.execute(arguments: [time, time, row["id"] as Int64])
                sends.insert(row["body_id"])
            }
            return Retry(sends: Array(sends), keptFailed: kept)
        }
    }

    /// Whether `recipient` still takes a message of `kind`: not marked undeliverable, and not
    /// unsubscribed from mail of that purpose (newsletters and notices; invitations only with
    /// `--all`). Mail that is not for the member lists (acknowledgements, previews to editors)
    /// stops only for an undeliverable address.
    private static func addressTakes(kind: String, recipient: String, _ db: Database) throws -> Bool {
        let key = Member.key(for: recipient)
        if try Member.fetchOne(db, emailKey: key)?.undeliverable != nil { return false }
        guard let purpose = purpose(ofKind: kind), let suppression = try Suppression.fetchOne(db, emailKey: key) else { return true }
        return !suppression.scope.stops(purpose)
    }

    /// What a send of `kind` is to its recipients: a newsletter or notice, an invitation, or nil for
    /// mail that is not for the member lists (acknowledgements to submitters, mail to the editors).
    private static func purpose(ofKind kind: String) -> RecipientPurpose? {
        switch kind {
        case "newsletter", "notice": .notice
        case _ where kind.hasPrefix("meeting-"): .invitation
        default: nil
        }
    }

    /// Takes back the messages to `emailKey` still waiting (queued or deferred) whose purpose
    /// `stops` names (nil: mail not for the member lists), in the caller's transaction: each becomes
    /// `failed` with `answer` and is not sent. Returns how many. For an unsubscribe or an address
    /// found dead, which must stop mail that has not gone yet, not only what is queued later.
    ///
    /// A message a running delivery round has already taken (at most a claim batch ahead of the
    /// connections, or sent with its result still in the results journal) still goes; if the
    /// relay takes it, its result then marks the row sent, since that is what happened. No
    /// attempt is recorded and no hand-off time: a message taken back never reached the relay,
    /// and must not count against `mail.rate` (which reads `last_attempt_at`).
    @discardableResult
    static func withdraw(
        _ db: Database, emailKey: String, stops: (RecipientPurpose?) -> Bool, answer: String
    ) throws -> Int {
        // Every waiting row is read (during a large send, thousands; an unsubscribe is rare) and its
        // address compared by key (any case, any form of the domain), which SQL cannot work out.
        let waiting = try Row.fetchAll(db, sql: """
            SELECT outbox.id, outbox.recipient, body.kind
            FROM outbox JOIN outbox_body AS body ON body.id = outbox.body_id
            WHERE outbox.state IN ('queued', 'deferred')
            """)
        let withdraw = try db.makeStatement(sql: """
            UPDATE outbox SET state = 'failed', last_code = NULL, last_answer = ?
            WHERE id = ? AND (state = 'queued' OR state = 'deferred')
            """)
        var count = 0
        for row in waiting where stops(purpose(ofKind: row["kind"])) && Member.key(for: row["recipient"]) == emailKey {
            try withdraw.execute(arguments: [answer, row["id"] as Int64])
            count += db.changesCount
        }
        return count
    }

    /// The last delivery error the service saw, with its time.
    public func lastError() throws -> (message: String, at: Date)? {
        try store.read { db in
            try Row.fetchOne(db, sql: "SELECT value, updated_at FROM service_state WHERE key = 'last_delivery_error'").map {
                (message: $0["value"], at: Date(timeIntervalSince1970: $0["updated_at"]))
            }
        }
    }

    static func setLastError(_ db: Database, _ message: String, at date: Date) throws {
        try db.execute(sql: """
            INSERT INTO service_state (key, value, updated_at) VALUES ('last_delivery_error', ?, ?)
            ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
            """, arguments: [message, date.timeIntervalSince1970])
    }
}
