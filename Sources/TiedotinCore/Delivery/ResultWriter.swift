import Foundation
import Logging

/// Keeps what became of each message of one delivery round, and gets it into the database in
/// batches, on a thread of its own, off the connections' path.
///
/// A connection hands its result in with `submit`, which copies it into the `ResultJournal` (no
/// system call) and returns: the result is safe from a crash before the connection starts its
/// next message, which is DESIGN's duplicate bound. The writer thread reads the journal's lines
/// back and puts them into the database together, one transaction for everything handed in so
/// far, when half the ring is waiting, the oldest has waited `batchAge`, or the round ends; then it
/// frees their room in the journal. So the database's bookkeeping mostly comes after the last
/// hand-off of a send, when the relay no longer waits: while the connections send, the writer
/// and the claims would compete with them for the machine's cores and meet in SQLite's WAL
/// (BENCHMARKS.md, the sixth round). A result waits in the journal, a mapped file, and costs no
/// private memory meanwhile.
///
/// Without a journal (it cannot be made) `submit` waits until the database has the result, as
/// each message used to: slower, and the same promise. So does a result too long for the journal,
/// and one that finds the journal full (the database tens of thousands of results behind) waits for room.
///
/// A result the database refuses is kept and written again until it goes in
/// (`DeliveryEngine.writeWhenPossible`), while the connections go on: theirs are in the journal.
final class ResultWriter: @unchecked Sendable {
    /// How many results are read back from the journal and applied at a time, within the one
    /// transaction: what a batch costs in private memory, however many it writes. (1,024 put
    /// some 180 KiB on a send's peak, as its results went in; no faster.)
    static let chunkSize = 256
    /// How long a result waits for others before it goes in: what `outbox status` may lag behind
    /// a send. Results are written sooner when half the ring waits or the round ends.
    static let batchAge: TimeInterval = 2

    // Every stored property below the condition is read and changed only while holding it.
    private let condition = NSCondition()
    private var journal: JournalState
    /// Results kept outside the journal (there is none, or the line is too long for it); their
    /// connections wait for the database.
    private var unjournaled: [AttemptResult] = []
    /// Where the journal's lines the database does not have start, and where the last one ends.
    private var journalWritten = 0
    private var journalEnd = 0
    /// When the oldest result not yet in the database came in (uptime nanoseconds).
    private var oldest: UInt64 = 0
    /// How many results were handed in, how many a batch has taken, and how many are in the
    /// database; a result's ticket is the count after it, and batches go in the order handed in.
    private var submitted = 0
    private var batched = 0
    private var applied = 0
    /// Connections waiting for the database to have their result: the next batch goes at once.
    private var waitingForDatabase = 0
    /// The round is over: write everything and end the thread.
    private var closing = false
    /// A stop ended the trying with results unwritten (they stay in the journal, if there is one).
    private var gaveUp = false

    private let write: @Sendable (ResultBatch) -> Bool
    private let logger: Logger
    private let finished = DispatchSemaphore(value: 0)

    /// The journal is made when the first result comes in: a round that finds nothing due (a wake
    /// with nothing to send) allocates and empties nothing.
    private enum JournalState {
        case notMadeYet(path: String, capacity: Int)
        case ready(ResultJournal)
        case unusable
    }

    /// `write` puts one batch in, returning false only when a stop made it give up. Results a
    /// journal at `journalPath` still holds (an earlier round's, given up at a stop) go in first,
    /// before a new journal of `journalCapacity` bytes is made over them.
    init(
        journalPath: String, journalCapacity: Int = ResultJournal.defaultCapacity, logger: Logger,
        write: @escaping @Sendable (ResultBatch) -> Bool
    ) {
        self.write = write
        self.logger = logger
        journal = .notMadeYet(path: journalPath, capacity: journalCapacity)
        do {
            let left = try ResultJournal.results(at: journalPath)
            if !left.isEmpty {
                if write(ResultBatch(unjournaled: left)) {
                    try ResultJournal.clear(at: journalPath)
                } else {
                    // A stop gave up on the database: the journal keeps them for the next start.
                    gaveUp = true
                }
            }
        } catch {
            doWithoutJournal(because: error)
        }
        NamedThread.start("results") { [self] in
            runWriter()
            finished.signal()
        }
    }

    /// Keeps a result so that a crash cannot lose it, and counts it for the next batch. True once it
    /// is kept; false when it could be kept neither in the journal nor in the database (a stop gave
    /// up on a database that would not take it), and the connection must hand over nothing more.
    func submit(_ result: AttemptResult) -> Bool {
        let length = ResultJournal.lineBound(for: result)
        condition.lock()
        defer { condition.unlock() }
        if submitted == batched { oldest = DispatchTime.now().uptimeNanoseconds }
        while !gaveUp, let journal = usableJournal(), length <= journal.capacity / 4 {
            if let end = journal.append(result) {
                journalEnd = end
                submitted += 1
                if end - journalWritten >= journal.capacity / 2 { condition.broadcast() }
                return true
            }
            // The journal is full: the database is tens of thousands of results behind. Wait for room.
            waitingForDatabase += 1
            condition.broadcast()
            condition.wait()
            waitingForDatabase -= 1
        }
        guard !gaveUp else { return false }
        unjournaled.append(result)
        submitted += 1
        let ticket = submitted
        waitingForDatabase += 1
        defer { waitingForDatabase -= 1 }
        condition.broadcast()
        while applied < ticket, !gaveUp { condition.wait() }
        return applied >= ticket
    }

    /// Writes every result handed in and ends the writer's thread; false when a stop gave up on
    /// some (the next start takes them from the journal). The journal is emptied when the
    /// database has everything, so that the next start reads nothing.
    func finish() -> Bool {
        condition.lock()
        closing = true
        condition.broadcast()
        condition.unlock()
        finished.wait()
        condition.lock()
        defer { condition.unlock() }
        if !gaveUp, case .ready(let made) = journal { made.clear() }
        journal = .unusable
        return !gaveUp
    }

    /// The journal, made on first use; nil when it cannot be.
    private func usableJournal() -> ResultJournal? {
        switch journal {
        case .ready(let made):
            return made
        case .unusable:
            return nil
        case .notMadeYet(let path, let capacity):
            do {
                let made = try ResultJournal(path: path, capacity: capacity)
                journal = .ready(made)
                return made
            } catch {
                doWithoutJournal(because: error)
                return nil
            }
        }
    }

    /// From now on each result goes into the database before its connection goes on.
    private func doWithoutJournal(because error: any Error) {
        logger.error("\(error) Meanwhile each delivery result is written to the database before the next message.")
        journal = .unusable
    }

    private func runWriter() {
        condition.lock()
        defer { condition.unlock() }
        while !gaveUp {
            if submitted == batched {
                if closing { return }
                condition.wait()
                continue
            }
            let waited = Double(DispatchTime.now().uptimeNanoseconds &- oldest) / 1e9
            let ring = usableJournalIfMade()
            // A connection without the journal waits for its result (`waitingForDatabase`).
            let due = closing || waitingForDatabase > 0 || waited >= ResultWriter.batchAge
                || ring.map { journalEnd - journalWritten >= $0.capacity / 2 } == true
            guard due else {
                _ = condition.wait(until: Date().addingTimeInterval(ResultWriter.batchAge - waited))
                continue
            }
            let batch = ResultBatch(
                journal: ring, lines: journalWritten..<journalEnd, unjournaled: unjournaled)
            let count = submitted - batched
            batched = submitted
            unjournaled.removeAll(keepingCapacity: true)
            condition.unlock()
            let done = write(batch)
            condition.lock()
            guard done else {
                gaveUp = true
                condition.broadcast()
                return
            }
            applied += count
            journalWritten = batch.lines.upperBound
            ring?.taken(through: journalWritten)
            oldest = DispatchTime.now().uptimeNanoseconds
            condition.broadcast()
        }
    }

    /// The journal if it has been made and is in use.
    private func usableJournalIfMade() -> ResultJournal? {
        if case .ready(let made) = journal { return made }
        return nil
    }
}

/// The results one transaction of the writer takes: lines of the journal, read back a chunk at a
/// time, and any kept outside it.
struct ResultBatch {
    var journal: ResultJournal?
    var lines: Range<Int>
    var unjournaled: [AttemptResult]

    init(journal: ResultJournal? = nil, lines: Range<Int> = 0..<0, unjournaled: [AttemptResult]) {
        self.journal = journal
        self.lines = lines
        self.unjournaled = unjournaled
    }

    /// Calls `body` with the results in the order they were handed in, at most
    /// `ResultWriter.chunkSize` at a time.
    func forEachChunk(_ body: ([AttemptResult]) throws -> Void) throws {
        if let journal, !lines.isEmpty {
            try journal.forEachResult(from: lines.lowerBound, through: lines.upperBound, chunk: ResultWriter.chunkSize, body)
        }
        if !unjournaled.isEmpty { try body(unjournaled) }
    }
}
