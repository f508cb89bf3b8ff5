import Foundation

/// What became of each message delivered since the database last took the results: one line per
/// result, appended to `DATABASE.results` before the connection hands the relay anything more.
///
/// One `write` to a file is far cheaper than a SQLite transaction (its locks, its WAL write), and
/// like a commit under `synchronous=NORMAL` it survives the process being killed. So a result is
/// kept here at once and goes into the database in batches (`ResultWriter`); DESIGN's duplicate
/// bound holds because the line is written before the connection's next message starts. After a
/// crash, `Outbox.recoverInterrupted` applies whatever lines the database had not taken.
///
/// Owned by one `ResultWriter`, which serialises every call.
final class ResultJournal {
    let path: String
    private let descriptor: Int32

    /// Opens (creating, with the database's owner and mode 0600) the journal at `path`.
    init(path: String) throws(ResultJournalError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw .cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        StateFileOwner.adopt(descriptor: descriptor, likeDatabase: String(path.dropLast(ResultJournal.suffix.count)))
        self.path = path
        self.descriptor = descriptor
    }

    deinit {
        Foundation.close(descriptor)
    }

    /// The journal beside the database at `databasePath`.
    static func path(forDatabase databasePath: String) -> String { databasePath + suffix }

    static let suffix = ".results"

    /// Appends lines in one `write` (O_APPEND: at the end, whatever came before).
    func append(_ lines: [UInt8]) throws(ResultJournalError) {
        try ResultJournal.write(lines, to: descriptor, path: path)
    }

    /// Leaves only `lines` in the journal: what the database has not taken yet.
    func replace(with lines: [UInt8]) throws(ResultJournalError) {
        guard ftruncate(descriptor, 0) == 0 else {
            throw .cannotWrite(path: path, reason: String(cString: strerror(errno)))
        }
        try append(lines)
    }

    private static func write(_ bytes: [UInt8], to descriptor: Int32, path: String) throws(ResultJournalError) {
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress! + written, $0.count - written) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .cannotWrite(path: path, reason: String(cString: strerror(errno)))
            }
            written += count
        }
    }

    // MARK: Reading after a crash

    /// The results in the journal at `path` (none when it does not exist). A line cut short by a
    /// crash in the middle of a write is skipped: its message was never counted as handed over.
    static func results(at path: String) throws(ResultJournalError) -> [AttemptResult] {
        guard let data = FileManager.default.contents(atPath: path) else {
            if FileManager.default.fileExists(atPath: path) {
                throw .cannotRead(path: path, reason: "it cannot be read")
            }
            return []
        }
        var results: [AttemptResult] = []
        for line in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
            if let result = decode(Array(line)) { results.append(result) }
        }
        return results
    }

    /// Empties the journal at `path` once the database holds everything in it.
    static func clear(at path: String) throws(ResultJournalError) {
        guard truncate(path, 0) == 0 || errno == ENOENT else {
            throw .cannotWrite(path: path, reason: String(cString: strerror(errno)))
        }
    }

    // MARK: The line format

    // One line per result, fields separated by tabs, text fields escaped (\\, \t, \n, \r):
    //   r1  id  attempts-before  verdict  at  next-attempt  handed-off  code  recipient  answer
    // verdict is sent, deferred, failed or unknown-address; times are whole microseconds since
    // 1970 (an integer prints faster than a Double); a missing code or next attempt is an empty field.

    /// Appends `result` as one line to `line`.
    static func encode(_ result: AttemptResult, into line: inout [UInt8]) {
        var next = ""
        let verdict: String
        switch result.verdict {
        case .sent:
            verdict = "sent"
        case .deferred(let until):
            verdict = "deferred"
            next = "\(microseconds(until))"
        case .failed(let addressUnknown):
            verdict = addressUnknown ? "unknown-address" : "failed"
        }
        let fields = [
            "r1", "\(result.id)", "\(result.attemptsBefore)", verdict, "\(microseconds(result.at))", next,
            result.handedOff ? "1" : "0", result.code.map { "\($0)" } ?? "",
        ]
        for field in fields {
            line.append(contentsOf: field.utf8)
            line.append(tab)
        }
        escape(result.recipient, into: &line)
        line.append(tab)
        escape(result.answer, into: &line)
        line.append(newline)
    }

    /// The result one line holds; nil for a line this version does not understand.
    static func decode(_ line: [UInt8]) -> AttemptResult? {
        let fields = line.split(separator: tab, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        guard fields.count == 10, fields[0] == "r1",
              let id = Int64(fields[1]), let attempts = Int(fields[2]), let at = Int64(fields[4]) else { return nil }
        let verdict: AttemptResult.Verdict
        switch fields[3] {
        case "sent": verdict = .sent
        case "failed": verdict = .failed(addressUnknown: false)
        case "unknown-address": verdict = .failed(addressUnknown: true)
        case "deferred":
            guard let next = Int64(fields[5]) else { return nil }
            verdict = .deferred(until: date(microseconds: next))
        default: return nil
        }
        var code: Int?
        if !fields[7].isEmpty {
            guard let value = Int(fields[7]) else { return nil }
            code = value
        }
        return AttemptResult(
            id: id, attemptsBefore: attempts, recipient: unescape(fields[8]), verdict: verdict, handedOff: fields[6] == "1",
            code: code, answer: unescape(fields[9]), at: date(microseconds: at))
    }

    private static func microseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
    }

    private static func date(microseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(microseconds) / 1_000_000)
    }

    private static let tab = UInt8(ascii: "\t")
    private static let newline = UInt8(ascii: "\n")
    private static let backslash = UInt8(ascii: "\\")

    private static func escape(_ text: String, into line: inout [UInt8]) {
        for byte in text.utf8 {
            switch byte {
            case backslash: line += [backslash, backslash]
            case tab: line += [backslash, UInt8(ascii: "t")]
            case newline: line += [backslash, UInt8(ascii: "n")]
            case UInt8(ascii: "\r"): line += [backslash, UInt8(ascii: "r")]
            default: line.append(byte)
            }
        }
    }

    private static func unescape(_ text: String) -> String {
        guard text.utf8.contains(backslash) else { return text }
        var bytes: [UInt8] = []
        var escaped = false
        for byte in text.utf8 {
            if escaped {
                switch byte {
                case UInt8(ascii: "t"): bytes.append(tab)
                case UInt8(ascii: "n"): bytes.append(newline)
                case UInt8(ascii: "r"): bytes.append(UInt8(ascii: "\r"))
                default: bytes.append(byte)
                }
                escaped = false
            } else if byte == backslash {
                escaped = true
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Why the results journal could not be used; delivery then writes each result to the database
/// before the next message, as it would without a journal.
enum ResultJournalError: Error, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)
    case cannotWrite(path: String, reason: String)
    case cannotRead(path: String, reason: String)

    var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            "cannot open the delivery results journal \(path): \(reason). It must be writable by the service user, like the database beside it."
        case .cannotWrite(let path, let reason):
            "cannot write the delivery results journal \(path): \(reason). Check the free space and permissions of the database's folder."
        case .cannotRead(let path, let reason):
            "cannot read the delivery results journal \(path): \(reason). Messages in it would go again; fix its permissions and restart."
        }
    }
}
