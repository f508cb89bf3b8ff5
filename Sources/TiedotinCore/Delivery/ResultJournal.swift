import Foundation

/// What became of each message delivered since the database last took the results: one line per
/// result, in `DATABASE.results`, written before the connection hands the relay anything more.
///
/// The file is a ring of fixed size mapped into memory (`MAP_SHARED`): keeping a result is a copy
/// into the page cache, with no system call, and like a commit under `synchronous=NORMAL` it
/// survives the process being killed. (An appending `write` per result cost each connection about
/// a tenth of its time at four connections: the file's lock is one for all of them.) Results go
/// into the database in batches (`ResultWriter`); DESIGN's duplicate bound holds because the line
/// is in the file before the connection's next message starts. After a crash,
/// `Outbox.recoverInterrupted` applies whatever lines the file holds.
///
/// The ring is reused without being wiped, so the file also holds lines the database already
/// took, and a crash in the middle of a copy can leave a new line's start over an old line's
/// end. Neither does harm: each line ends with a checksum of itself, so a torn line is skipped,
/// and a line the database has is ignored on its own (each result written adds an attempt, and a
/// line applies only to the attempt it belongs to).
///
/// Owned by one `ResultWriter`, which serialises every call.
final class ResultJournal {
    let path: String
    private let descriptor: Int32
    private let ring: UnsafeMutableRawPointer
    let capacity: Int
    /// Positions counted from the start of the round, never wrapping: a line at `position` is at
    /// `position % capacity` in the file. `tail` is where the next line goes; `head` where the
    /// oldest line the database has not taken starts. No line may be written over `head`.
    private var head = 0
    private var tail = 0

    /// The ring's size: room for about 28,000 results the database has not taken yet. Past that,
    /// a connection waits for the database before it goes on. It is mapped file, not private
    /// memory: a result waiting here for the database costs the process none.
    static let defaultCapacity = 4 << 20

    /// Makes an empty ring at `path` (whatever a journal there held must be in the database
    /// first), with the database's owner and mode 0600.
    init(path: String, capacity: Int = ResultJournal.defaultCapacity) throws(ResultJournalError) {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw .cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        StateFileOwner.adopt(descriptor: descriptor, likeDatabase: String(path.dropLast(ResultJournal.suffix.count)))
        // A file of this size from an earlier round is used as it is: its blocks are allocated and
        // its pages are likely still in memory, where making a fresh one cost the connections a
        // page fault with a new zeroed page per 4 KiB of results (BENCHMARKS.md, the eighth round).
        // Its lines the database has; the zero written at its start says so.
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let reason = String(cString: strerror(errno))
            Foundation.close(descriptor)
            throw .cannotOpen(path: path, reason: reason)
        }
        if Int(status.st_size) != capacity {
            // Emptied, then given its blocks at once: a full disk is found here, where delivery can
            // do without the journal, not later as a write into the mapping (which would kill the process).
            guard ftruncate(descriptor, 0) == 0 else {
                let reason = String(cString: strerror(errno))
                Foundation.close(descriptor)
                throw .cannotOpen(path: path, reason: reason)
            }
            let allocated = posix_fallocate(descriptor, 0, off_t(capacity))
            guard allocated == 0 else {
                Foundation.close(descriptor)
                throw .cannotOpen(path: path, reason: String(cString: strerror(allocated)))
            }
        }
        let mapped = mmap(nil, capacity, PROT_READ | PROT_WRITE, MAP_SHARED, descriptor, 0)
        guard let mapped, mapped != MAP_FAILED else {
            let reason = String(cString: strerror(errno))
            Foundation.close(descriptor)
            throw .cannotOpen(path: path, reason: reason)
        }
        self.path = path
        self.descriptor = descriptor
        self.ring = mapped
        self.capacity = capacity
        mapped.storeBytes(of: 0, as: UInt8.self)
    }

    deinit {
        munmap(ring, capacity)
        Foundation.close(descriptor)
    }

    /// The journal beside the database at `databasePath`.
    static func path(forDatabase databasePath: String) -> String { databasePath + suffix }

    static let suffix = ".results"

    /// Writes `result`'s line straight into the ring and returns the position after it (what
    /// `taken(through:)` is told once the database has it); nil when the ring has no room for it
    /// now. Every message delivered makes one, so it is made in place: no array, no second copy.
    func append(_ result: AttemptResult) -> Int? {
        guard let start = room(for: ResultJournal.lineBound(for: result)) else { return nil }
        tail = start + ResultJournal.write(result, at: (ring + start % capacity).assumingMemoryBound(to: UInt8.self))
        return tail
    }

    /// Copies a line made elsewhere into the ring; as `append(_:)` for a result.
    func append(_ line: [UInt8]) -> Int? {
        guard let start = room(for: line.count) else { return nil }
        line.withUnsafeBytes { bytes in
            (ring + start % capacity).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
        }
        tail = start + line.count
        return tail
    }

    /// Where a line of up to `length` bytes goes, or nil when the ring has no room for it now.
    private func room(for length: Int) -> Int? {
        var start = tail
        // A line is never split at the end of the file: it starts again at the beginning.
        if start % capacity + length > capacity { start += capacity - start % capacity }
        guard start + length - head <= capacity else { return nil }
        if start != tail {
            // What is left of the file before the end is old bytes: a zero where the next line
            // would have started tells `forEachResult` to go on at the beginning.
            ring.storeBytes(of: 0, toByteOffset: tail % capacity, as: UInt8.self)
        }
        return start
    }

    /// The results of the lines from `start` up to `end` (positions `append` returned, or 0),
    /// `chunk` at a time, in the order they were appended: what the database is to take next.
    /// Reads only that part of the ring, which no `append` writes until `taken(through:)` frees it,
    /// so it may run while connections append further on.
    func forEachResult(from start: Int, through end: Int, chunk: Int, _ body: ([AttemptResult]) throws -> Void) throws {
        var results: [AttemptResult] = []
        results.reserveCapacity(min(chunk, 1024))
        let bytes = UnsafeBufferPointer(start: ring.assumingMemoryBound(to: UInt8.self), count: capacity)
        var position = start
        while position < end {
            let offset = position % capacity
            if bytes[offset] == 0 {
                position += capacity - offset
                continue
            }
            guard let newline = bytes[offset...].firstIndex(of: ResultJournal.newline),
                  let result = ResultJournal.decode(Array(bytes[offset..<newline])) else {
                // Every line here was made by `line(for:)` in this process: this is a fault in it.
                throw ResultJournalError.cannotRead(path: path, reason: "a line at \(position) does not read back")
            }
            results.append(result)
            position += newline - offset + 1
            if results.count >= chunk {
                try body(results)
                results.removeAll(keepingCapacity: true)
            }
        }
        if !results.isEmpty { try body(results) }
    }

    /// The database has every line before `position`: their room may be written again.
    func taken(through position: Int) {
        head = max(head, position)
    }

    /// Marks the file empty once the database has every line in it, so that the next start reads
    /// nothing: a zero where the first line starts (`results(at:)`). The lines after it stay, and
    /// so do the file's pages, for the next round to write over. The ring must not be written after this.
    func clear() {
        ring.storeBytes(of: 0, as: UInt8.self)
    }

    // MARK: Reading after a crash

    /// The results in the journal at `path` (none when it does not exist, or starts with the zero
    /// `clear` leaves), the database's own among them. A line cut short or torn by a crash in the
    /// middle of a copy is skipped: its message was never counted as handed over.
    static func results(at path: String) throws(ResultJournalError) -> [AttemptResult] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ENOENT { return [] }
            throw .cannotRead(path: path, reason: String(cString: strerror(errno)))
        }
        defer { Foundation.close(descriptor) }
        // Most starts find an emptied journal: one byte says so, without reading megabytes.
        var first: UInt8 = 0
        let read = pread(descriptor, &first, 1, 0)
        guard read >= 0 else { throw .cannotRead(path: path, reason: String(cString: strerror(errno))) }
        guard read == 1, first != 0 else { return [] }
        // The rest from the same descriptor (pread left its offset at the start).
        let data: Data
        do {
            data = try FileHandle(fileDescriptor: descriptor, closeOnDealloc: false).readToEnd() ?? Data()
        } catch {
            throw .cannotRead(path: path, reason: error.localizedDescription)
        }
        var results: [AttemptResult] = []
        for line in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
            if let result = decode(Array(line)) { results.append(result) }
        }
        return results
    }

    /// Marks the journal at `path` empty (as `clear` does) once the database holds everything in it.
    static func clear(at path: String) throws(ResultJournalError) {
        let descriptor = open(path, O_WRONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ENOENT { return }
            throw .cannotWrite(path: path, reason: String(cString: strerror(errno)))
        }
        defer { Foundation.close(descriptor) }
        var zero: UInt8 = 0
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw .cannotWrite(path: path, reason: String(cString: strerror(errno))) }
        guard status.st_size > 0 else { return }
        guard pwrite(descriptor, &zero, 1, 0) == 1 else {
            throw .cannotWrite(path: path, reason: String(cString: strerror(errno)))
        }
    }

    // MARK: The line format

    // One line per result, fields separated by tabs, text fields escaped (\\, \t, \n, \r):
    //   r2  id  attempts-before  verdict  at  next-attempt  handed-off  code  recipient  answer  check
    // verdict is sent, deferred, failed or unknown-address; times are whole microseconds since
    // 1970 (an integer prints faster than a Double); a missing code or next attempt is an empty
    // field; check is the FNV-1a hash of everything before it, in 16 hex digits. Lines of version
    // r1 (the same without check, appended by tiedotin 0.x before the ring) are still read.

    /// `result` as one line.
    static func line(for result: AttemptResult) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: lineBound(for: result)) { buffer, count in
            count = write(result, at: buffer.baseAddress!)
        }
    }

    /// The most bytes `result`'s line can take: each text byte at most two, every other field at
    /// most 21 with its tab.
    static func lineBound(for result: AttemptResult) -> Int {
        220 + 2 * (result.recipient.utf8.count + result.answer.utf8.count)
    }

    /// Writes `result`'s line at `start`, which has room for `lineBound(for:)` bytes; returns its length.
    private static func write(_ result: AttemptResult, at start: UnsafeMutablePointer<UInt8>) -> Int {
        var recipient = result.recipient
        var answer = result.answer
        return recipient.withUTF8 { recipient in
            answer.withUTF8 { answer in
                var writer = LineWriter(start)
                writer.write("r2\t")
                writer.decimal(result.id)
                writer.write("\t")
                writer.decimal(Int64(result.attemptsBefore))
                writer.write("\t")
                var next: Int64?
                switch result.verdict {
                case .sent:
                    writer.write("sent")
                case .deferred(let until):
                    writer.write("deferred")
                    next = microseconds(until)
                case .failed(let addressUnknown):
                    writer.write(addressUnknown ? "unknown-address" : "failed")
                }
                writer.write("\t")
                writer.decimal(microseconds(result.at))
                writer.write("\t")
                if let next { writer.decimal(next) }
                writer.write(result.handedOff ? "\t1\t" : "\t0\t")
                if let code = result.code { writer.decimal(Int64(code)) }
                writer.write("\t")
                writer.escaped(recipient)
                writer.write("\t")
                writer.escaped(answer)
                let check = checksum(UnsafeBufferPointer(start: start, count: writer.count))
                writer.write("\t")
                writer.hex(check)
                writer.write("\n")
                return writer.count
            }
        }
    }

    /// Writes a journal line's fields at a pointer, for `write(_:at:)`, whose caller reserved room for them.
    private struct LineWriter {
        let start: UnsafeMutablePointer<UInt8>
        private(set) var count = 0

        init(_ start: UnsafeMutablePointer<UInt8>) {
            self.start = start
        }

        mutating func write(_ text: StaticString) {
            (start + count).update(from: text.utf8Start, count: text.utf8CodeUnitCount)
            count += text.utf8CodeUnitCount
        }

        /// `value` in decimal, without making a String.
        mutating func decimal(_ value: Int64) {
            if value < 0 {
                start[count] = UInt8(ascii: "-")
                count += 1
            }
            var magnitude = value.magnitude
            var digits = 1
            var rest = magnitude / 10
            while rest > 0 {
                digits += 1
                rest /= 10
            }
            // From the last digit back (a plain loop: `stride` cost a call per digit here).
            var index = count + digits
            while index > count {
                index -= 1
                start[index] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            }
            count += digits
        }

        /// Text with `\`, tab, line feed and carriage return escaped, so that it stays one field.
        mutating func escaped(_ text: UnsafeBufferPointer<UInt8>) {
            for byte in text {
                switch byte {
                case backslash: pair(backslash)
                case tab: pair(UInt8(ascii: "t"))
                case newline: pair(UInt8(ascii: "n"))
                case UInt8(ascii: "\r"): pair(UInt8(ascii: "r"))
                default:
                    start[count] = byte
                    count += 1
                }
            }
        }

        private mutating func pair(_ letter: UInt8) {
            start[count] = backslash
            start[count + 1] = letter
            count += 2
        }

        /// `value` in 16 lower-case hex digits.
        mutating func hex(_ value: UInt64) {
            for index in 0..<16 {
                let digit = UInt8(truncatingIfNeeded: value >> UInt64(60 - 4 * index)) & 0xF
                start[count + index] = digit < 10 ? UInt8(ascii: "0") + digit : UInt8(ascii: "a") - 10 + digit
            }
            count += 16
        }
    }

    /// The result one line holds; nil for a line this version does not understand, or one a
    /// crash tore (its checksum does not match).
    static func decode(_ line: [UInt8]) -> AttemptResult? {
        var parts = line.split(separator: tab, omittingEmptySubsequences: false)
        guard let version = parts.first else { return nil }
        if version.elementsEqual("r2".utf8) {
            guard parts.count == 11, let last = parts.last, last.count == 16,
                  let check = UInt64(String(decoding: last, as: UTF8.self), radix: 16),
                  check == line[..<(last.startIndex - 1)].withUnsafeBufferPointer({ checksum($0) }) else { return nil }
            parts.removeLast()
        } else if !version.elementsEqual("r1".utf8) || parts.count != 10 {
            return nil
        }
        let fields = parts.map { String(decoding: $0, as: UTF8.self) }
        guard let id = Int64(fields[1]), let attempts = Int(fields[2]), let at = Int64(fields[4]) else { return nil }
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

    /// FNV-1a, 64 bits: enough to tell a torn line from a whole one, and cheap per message.
    private static func checksum(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return hash
    }

    /// Rounded down: a message deferred until a moment is due at that moment once read back, not
    /// a fraction of a microsecond after it.
    private static func microseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1_000_000).rounded(.down))
    }

    private static func date(microseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(microseconds) / 1_000_000)
    }

    private static let tab = UInt8(ascii: "\t")
    private static let newline = UInt8(ascii: "\n")
    private static let backslash = UInt8(ascii: "\\")

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
