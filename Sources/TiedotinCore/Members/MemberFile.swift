import CSV
import Foundation

/// A member CSV file, read and split into rows: `email,name,organisation,networks`, networks separated by `;`.
///
/// Reading checks only the file's shape (encoding, header, column counts); whether an address is valid
/// and a network exists is for `MemberLists.importMembers` to say, as it knows the config.
/// Lines count from 1 at the header; a row whose quoted field spans lines is reported at the line it starts on.
public struct MemberFile: Sendable {
    /// One record of the file, its fields trimmed.
    public struct Row: Sendable, Equatable {
        /// The line the record starts on.
        public var line: Int
        public var email: String
        public var name: String?
        public var organisation: String?
        /// The ids in the networks column, in order, each once.
        public var networks: [String]
    }

    /// The file's name as the admin gave it, for messages.
    public var path: String
    public var rows: [Row]
    /// Records that could not be split into the header's columns.
    public var problems: [ImportProblem]

    /// The columns every file has, in the order `members list --format csv` writes them.
    public static let columns = ["email", "name", "organisation", "networks"]

    /// Reads the file at `path`. Throws `MemberImportError` when the file as a whole cannot be used
    /// (unreadable, not UTF-8, no proper header).
    public static func read(path: String) throws(MemberImportError) -> MemberFile {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw MemberImportError(file: path, problems: [
                ImportProblem(line: nil, message: "cannot read the file (\(error.localizedDescription)); check the path and that you may read it"),
            ])
        }
        return try MemberFile(data: data, path: path)
    }

    /// Splits `data` (UTF-8, with or without a byte order mark, LF or CRLF line ends) into rows.
    public init(data: Data, path: String) throws(MemberImportError) {
        self.path = path
        let text = try MemberFile.decode(data, path: path)
        let reader: CSVReader
        do {
            reader = try CSVReader(string: text, hasHeaderRow: false)
        } catch {
            throw MemberImportError(file: path, problems: [MemberFile.emptyFile])
        }
        var records: [(line: Int, fields: [String])] = []
        var line = 1
        while let fields = reader.next() {
            records.append((line, fields))
            // The reader hides where records start; each one ends with a line break of its own plus
            // the line breaks inside its quoted fields.
            line += 1 + fields.reduce(0) { $0 + MemberFile.lineBreaks(in: $1) }
        }
        guard let header = records.first, !header.fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) else {
            throw MemberImportError(file: path, problems: [MemberFile.emptyFile])
        }
        let positions = try MemberFile.columnPositions(header.fields, path: path)
        rows = []
        problems = []
        for (index, record) in records.enumerated().dropFirst() {
            let fields = record.fields.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            if fields.allSatisfy(\.isEmpty) { continue }
            let email = positions.email < fields.count ? fields[positions.email] : nil
            if index == records.count - 1, MemberFile.endsInsideQuotes(text, lastField: record.fields.last ?? "") {
                problems.append(ImportProblem(line: record.line, message: """
                    a double quote opened in this record is never closed, so the rest of the file ran into one field; \
                    close the quote ("...") or write a quote inside a quoted field as two ("")
                    """, email: email))
                continue
            }
            guard fields.count == positions.count else {
                problems.append(ImportProblem(line: record.line, message: """
                    \(fields.count) \(fields.count == 1 ? "field" : "fields") where the header has \(positions.count); \
                    a comma inside a name or organisation needs the field in double quotes ("Kangas, Pia"), \
                    and every row needs \(positions.count - 1) commas
                    """, email: email))
                continue
            }
            var networks: [String] = []
            for piece in fields[positions.networks].split(separator: ";") {
                let id = piece.trimmingCharacters(in: .whitespaces)
                if !id.isEmpty, !networks.contains(id) { networks.append(id) }
            }
            rows.append(Row(
                line: record.line, email: fields[positions.email],
                name: MemberLists.singleLine(fields[positions.name]),
                organisation: MemberLists.singleLine(fields[positions.organisation]),
                networks: networks))
        }
    }

    private static let emptyFile = ImportProblem(line: 1, message: """
        the file is empty; its first line must be the header \(columns.joined(separator: ",")) and each line after it one member
        """)

    /// The text of `data`, or why it is not UTF-8.
    private static func decode(_ data: Data, path: String) throws(MemberImportError) -> String {
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            throw MemberImportError(file: path, problems: [ImportProblem(line: nil, message: """
                the file is UTF-16 ("Unicode text"), not UTF-8; save it again as "CSV UTF-8 (comma delimited)" and import that
                """)])
        }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        decoding: while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let scalar): offset += scalar.count
            case .emptyInput, .error: break decoding
            }
        }
        let line = 1 + bytes[..<offset].count(where: { $0 == 0x0A })
        let byte = String(bytes[offset], radix: 16, uppercase: true)
        throw MemberImportError(file: path, problems: [ImportProblem(line: line, message: """
            the file is not UTF-8 (byte 0x\(byte) cannot start or continue a UTF-8 character; probably Latin-1 or Windows-1252 ä or ö); \
            save it again as "CSV UTF-8 (comma delimited)" and import that
            """)])
    }

    /// Where each column is, from the header; throws when a column is missing, unknown or twice there.
    private static func columnPositions(
        _ header: [String], path: String
    ) throws(MemberImportError) -> (email: Int, name: Int, organisation: Int, networks: Int, count: Int) {
        let names = header.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let expected = "the first line must be the header \(columns.joined(separator: ","))"
        if names.count == 1, let only = names.first, only.contains(";") || only.contains("\t") {
            let separator = only.contains(";") ? "semicolons" : "tabs"
            throw MemberImportError(file: path, problems: [ImportProblem(line: 1, message: """
                the columns are separated by \(separator), not commas; save the file as "CSV UTF-8 (comma delimited)" \
                (\(expected))
                """)])
        }
        var problems: [ImportProblem] = []
        let unknown = names.filter { !columns.contains($0) }
        if !unknown.isEmpty {
            problems.append(ImportProblem(line: 1, message: """
                unknown \(unknown.count == 1 ? "column" : "columns") \(unknown.map(\.debugDescription).joined(separator: ", ")); \(expected)
                """))
        }
        let twice = columns.filter { column in names.filter { $0 == column }.count > 1 }
        if !twice.isEmpty {
            problems.append(ImportProblem(line: 1, message: """
                the \(twice.count == 1 ? "column" : "columns") \(twice.joined(separator: ", ")) \
                \(twice.count == 1 ? "is" : "are") in the header twice; \(expected)
                """))
        }
        let missing = columns.filter { !names.contains($0) }
        if !missing.isEmpty {
            problems.append(ImportProblem(line: 1, message: """
                the header lacks the \(missing.count == 1 ? "column" : "columns") \(missing.joined(separator: ", ")); \(expected)
                """))
        }
        guard problems.isEmpty else { throw MemberImportError(file: path, problems: problems) }
        return (
            names.firstIndex(of: "email")!, names.firstIndex(of: "name")!, names.firstIndex(of: "organisation")!,
            names.firstIndex(of: "networks")!, names.count
        )
    }

    /// Line breaks in a field's text: LF, CRLF and a lone CR each count once.
    static func lineBreaks(in field: String) -> Int {
        var count = 0
        var previousWasCR = false
        for scalar in field.unicodeScalars {
            if scalar == "\n" {
                if !previousWasCR { count += 1 }
            } else if scalar == "\r" {
                count += 1
            }
            previousWasCR = scalar == "\r"
        }
        return count
    }

    /// Whether the file ended inside a quoted field. Only a quoted field holds a line break, and a quoted
    /// field that was closed leaves the file ending in `"` and at most one line break.
    private static func endsInsideQuotes(_ text: String, lastField: String) -> Bool {
        guard lineBreaks(in: lastField) > 0 else { return false }
        var scalars = Substring(text).unicodeScalars
        if scalars.last == "\n" { scalars.removeLast() }
        if scalars.last == "\r" { scalars.removeLast() }
        return scalars.last != "\""
    }
}
