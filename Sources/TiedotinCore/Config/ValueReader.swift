import Foundation
import MIME
import Recurrence
import Yams

/// One value in the config with its key path: converts it to the type the key needs, or reports
/// what is wrong with it at its line and column and returns nil.
struct ValueReader {
    let node: Node
    let path: String
    /// Where the key is written; problems of the value itself are reported at the value.
    let keyPosition: Position?
    let problems: ProblemList

    var position: Position? { Position(node.mark) ?? keyPosition }

    /// The key as written in the file, for examples: `per_minute` for `mail.rate.per_minute`.
    private var keyName: String {
        let last = path.split(separator: ".").last.map(String.init) ?? path
        return last.hasSuffix("]") ? "" : last
    }

    /// `per_minute: 30`, or just `30` for a list item.
    func example(_ value: String) -> String {
        keyName.isEmpty ? value : "\(keyName): \(value)"
    }

    func report(_ message: String) {
        problems.add(at: position, key: path, message)
    }

    /// The value as text; a list or section is reported as the wrong type.
    func text(example value: String) -> String? {
        guard case .scalar(let scalar) = node else {
            report("expected a single value, found \(node.kindDescription); write for example \(example(value))")
            return nil
        }
        return scalar.string
    }

    /// Text that must not be empty.
    func nonEmptyText(example value: String) -> String? {
        guard let text = text(example: value) else { return nil }
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else {
            report("is empty; write for example \(example(value))")
            return nil
        }
        return text
    }

    /// A whole number of at least `minimum`.
    func integer(minimum: Int, example value: String) -> Int? {
        guard let text = text(example: value) else { return nil }
        guard let number = Int(text.trimmingCharacters(in: .whitespaces)) else {
            report("\"\(text)\" is not a whole number; write for example \(example(value))")
            return nil
        }
        guard number >= minimum else {
            report("\(number) is too small; write \(minimum) or more, for example \(example(value))")
            return nil
        }
        return number
    }

    /// `true` or `false` (YAML's `yes`/`no` are read too).
    func boolean() -> Bool? {
        guard let text = text(example: "true") else { return nil }
        guard let value = node.bool else {
            report("\"\(text)\" is not true or false; write \(example("true")) or \(example("false"))")
            return nil
        }
        return value
    }

    /// A duration such as `30s`, `90m`, `2h`, `21d`; at least `minimum`.
    func duration(example value: String, minimum: Duration = .zero) -> Duration? {
        guard let text = text(example: value) else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let duration = Duration(configurationText: trimmed) else {
            if Int(trimmed) != nil {
                report("\"\(trimmed)\" has no unit; write it with s, m, h or d, for example \(example(trimmed + "s")) or \(example(trimmed + "m"))")
            } else {
                report("\"\(text)\" is not a duration; write a whole number with s, m, h or d (such as 30s, 90m, 2h or 21d), for example \(example(value))")
            }
            return nil
        }
        guard duration >= minimum else {
            report("\(trimmed) is too short; write at least \(minimum.configurationText), for example \(example(value))")
            return nil
        }
        return duration
    }

    /// A size in bytes: `65536`, `512KiB`, `1MiB`; more than zero.
    func size(example value: String) -> Int? {
        guard let text = text(example: value) else { return nil }
        guard let bytes = ByteSize.parse(text) else {
            let hint = text.uppercased().hasSuffix("KB") || text.uppercased().hasSuffix("MB") || text.uppercased().hasSuffix("K")
                || text.uppercased().hasSuffix("M") ? " (sizes use KiB and MiB: 1KiB is 1024 bytes)" : ""
            report("\"\(text)\" is not a size; write a number of bytes or a number with KiB or MiB\(hint), for example \(example(value))")
            return nil
        }
        guard bytes > 0 else {
            report("a size of 0 lets nothing through; write for example \(example(value))")
            return nil
        }
        return bytes
    }

    /// An email address, with or without a display name.
    func address(example value: String) -> EmailAddress? {
        guard let text = nonEmptyText(example: value) else { return nil }
        do {
            return try EmailAddress(parsing: text)
        } catch {
            report("\"\(text)\" is not a usable email address: \(error.description); write for example \(example(value))")
            return nil
        }
    }

    /// An absolute URL with one of `schemes` and a host.
    func url(schemes: [String], example value: String) -> URL? {
        guard let text = nonEmptyText(example: value) else { return nil }
        let schemeList = KeySuggestion.list(schemes.map { "\($0)://" })
        guard let url = URL(string: text.trimmingCharacters(in: .whitespaces)), let scheme = url.scheme?.lowercased(),
              schemes.contains(scheme)
        else {
            report("\"\(text)\" is not a URL starting with \(schemeList); write for example \(example(value))")
            return nil
        }
        guard let host = url.host, !host.isEmpty else {
            report("\"\(text)\" has no host name after \(scheme)://; write for example \(example(value))")
            return nil
        }
        return url
    }

    /// One of an enumeration's raw values.
    func choice<Choice: RawRepresentable & CaseIterable>(_ type: Choice.Type, noun: String) -> Choice?
    where Choice.RawValue == String {
        let allowed = Choice.allCases.map(\.rawValue)
        guard let text = text(example: allowed[0]) else { return nil }
        guard let value = Choice(rawValue: text.trimmingCharacters(in: .whitespaces)) else {
            let guess = KeySuggestion.closest(to: text, among: allowed).map { " (did you mean \($0)?)" } ?? ""
            report("\"\(text)\" is not \(noun)\(guess); write \(KeySuggestion.list(allowed))")
            return nil
        }
        return value
    }

    /// A short name other entries refer to: letters, digits, `-`, `_` and `.`, starting with a letter or digit.
    func identifier(example value: String) -> String? {
        guard let text = nonEmptyText(example: value) else { return nil }
        let allowed = text.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0)
        }
        guard allowed, let first = text.unicodeScalars.first, !"-_.".unicodeScalars.contains(first) else {
            report("\"\(text)\" cannot be an id; use only letters a-z, digits, - and _ (no spaces or ä/ö), for example \(example(value))")
            return nil
        }
        return text
    }

    /// A local date-time (`2027-02-10T13:00`) or, when `timeRequired` is false, also a date (`2027-07-14`).
    /// With a time zone, a time that does not exist there (the hour skipped for daylight-saving time) is refused.
    func localDateTime(timeRequired: Bool, timeZone: TimeZone?) -> LocalDateTime? {
        let sample = timeRequired ? "2027-02-10T13:00" : "2027-07-14"
        guard let text = nonEmptyText(example: sample) else { return nil }
        guard let value = LocalDateTime(parsing: text) else {
            let form = timeRequired ? "a local date and time YYYY-MM-DDTHH:MM" : "a date YYYY-MM-DD or a date and time YYYY-MM-DDTHH:MM"
            report("\"\(text)\" is not \(form) on the calendar; write for example \(example(sample))")
            return nil
        }
        if timeRequired && !value.hasTime {
            report("\"\(text)\" has no time of day; write the local time too, for example \(example(text + "T13:00"))")
            return nil
        }
        if let timeZone, value.hasTime, value.instant(in: timeZone) == nil {
            report("\(text) does not exist in \(timeZone.identifier): the clocks skip that hour when summer time begins; write a time an hour later or earlier")
            return nil
        }
        return value
    }

    /// An RFC 5545 RRULE.
    func recurrenceRule(example value: String) -> RecurrenceRule? {
        guard let text = nonEmptyText(example: value) else { return nil }
        do {
            return try RecurrenceRule(parsing: text)
        } catch {
            report("not a valid RFC 5545 RRULE: \(error.description)")
            return nil
        }
    }

    /// The items of a list. A single value is read as a list of one, so `invitees: jyry` works.
    func items() -> [ValueReader] {
        switch node {
        case .sequence(let sequence):
            return sequence.enumerated().map { index, item in
                ValueReader(node: item, path: "\(path)[\(index)]", keyPosition: Position(item.mark), problems: problems)
            }
        case .scalar:
            return [self]
        default:
            report("expected a list, found \(node.kindDescription); write the items as [a, b] or one per line starting with -")
            return []
        }
    }

    /// This value as a section with the given keys.
    func mapping(known: [String]) -> MappingReader {
        MappingReader(node, path: path, position: position ?? .start, known: known, problems: problems)
    }
}
