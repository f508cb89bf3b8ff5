import Foundation

/// Group commit for one delivery round: every connection hands in what became of its message and
/// goes on with the next; the first connection that needs its result written writes every result
/// handed in by then, of all connections, in one transaction, and the others find theirs written.
/// No thread of its own: a hand-over between threads costs more than the write on this machine.
///
/// A connection waits for its previous result only before the final dot of its next message
/// (`waitUntilWritten`), so DESIGN's duplicate bound holds: a message is marked before the next one
/// on its connection is handed to the relay. A result the database refuses is kept and written
/// again until it goes in (`DeliveryEngine.writeWhenPossible`); the connection waiting on it
/// hands over nothing meanwhile.
final class ResultWriter: @unchecked Sendable {
    // Every stored property below the condition is read and changed only while holding it.
    private let condition = NSCondition()
    private var pending: [AttemptResult] = []
    /// How many results were handed in; a result's ticket is the count after it.
    private var submitted = 0
    /// How many results are in the database; batches go in the order they were handed in.
    private var written = 0
    /// Whether a connection is writing a batch now.
    private var writing = false
    /// A stop ended the trying with results unwritten: nothing handed in from then on is written.
    private var gaveUp = false
    private let write: @Sendable ([AttemptResult]) -> Bool

    /// `write` puts one batch in, returning false only when a stop made it give up.
    init(write: @escaping @Sendable ([AttemptResult]) -> Bool) {
        self.write = write
    }

    /// Hands a result in; returns its ticket for `waitUntilWritten`.
    func submit(_ result: AttemptResult) -> Int {
        condition.lock()
        defer { condition.unlock() }
        pending.append(result)
        submitted += 1
        return submitted
    }

    /// Returns once the result with `ticket` is in the database, writing it (and every result
    /// waiting with it) when no other connection is: true, or false when a stop gave it up.
    func waitUntilWritten(_ ticket: Int) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while written < ticket, !gaveUp {
            if writing {
                condition.wait()
                continue
            }
            let batch = pending
            pending.removeAll(keepingCapacity: true)
            writing = true
            condition.unlock()
            let done = write(batch)
            condition.lock()
            writing = false
            if done { written += batch.count } else { gaveUp = true }
            condition.broadcast()
        }
        return written >= ticket
    }
}
