import Foundation

/// The time zone abbreviations (EET, EEST, JST, ...) from the system's tz database, read from a TZif
/// file (RFC 8536) such as `/usr/share/zoneinfo/Europe/Helsinki`.
///
/// Foundation on Linux answers `abbreviation(for:)` with ICU's localised short names, which for most
/// zones are only "GMT+2"; clients show TZNAME in places, and the tz database's names are the ones
/// everybody knows. When the file cannot be read, the caller falls back to Foundation's name.
struct ZoneInfoFile: Sendable {
    private struct LocalTimeType: Sendable {
        var offset: Int
        var isDaylightSaving: Bool
        var abbreviation: String
    }

    private var transitionTimes: [Int64] = []
    private var transitionTypes: [Int] = []
    private var types: [LocalTimeType] = []
    /// From the POSIX TZ string at the end of a version 2+ file, which rules all times after the last
    /// transition listed: the standard and the daylight saving name and offset.
    private var footer: (standard: LocalTimeType, daylight: LocalTimeType?)?

    /// Where tz databases are installed on Linux and macOS.
    static let folders = ["/usr/share/zoneinfo", "/usr/lib/zoneinfo", "/usr/share/lib/zoneinfo", "/var/db/timezone/zoneinfo"]

    /// Reads the file for the zone `identifier` from the first folder that has it; nil when none has or
    /// the file is not TZif.
    init?(identifier: String) {
        guard !identifier.isEmpty, !identifier.hasPrefix("/"), !identifier.split(separator: "/").contains("..") else { return nil }
        for folder in Self.folders {
            if let data = FileManager.default.contents(atPath: folder + "/" + identifier) {
                self.init(data: [UInt8](data))
                if !types.isEmpty { return }
            }
        }
        return nil
    }

    /// Parses TZif bytes; leaves everything empty when they are not TZif.
    init(data: [UInt8]) {
        var reader = Reader(bytes: data)
        guard let header = reader.header() else { return }
        if header.version >= 2 {
            // Skip the version 1 block (32-bit times) for the version 2+ one (64-bit times) after it.
            guard reader.skip(header.blockSize(timeSize: 4)), let header2 = reader.header(),
                let block = reader.block(header2, timeSize: 8)
            else { return }
            (transitionTimes, transitionTypes, types) = block
            footer = reader.footer().flatMap(Self.parsePOSIX)
        } else if let block = reader.block(header, timeSize: 4) {
            (transitionTimes, transitionTypes, types) = block
        }
    }

    /// The abbreviation of the local time type in effect at `instant` (seconds since 1970), if its offset
    /// and daylight saving flag are the ones Foundation reported; otherwise the latest type with that
    /// offset and flag.
    func abbreviation(at instant: Int64, offset: Int, isDaylightSaving: Bool) -> String? {
        func matches(_ type: LocalTimeType) -> Bool {
            type.offset == offset && type.isDaylightSaving == isDaylightSaving && !type.abbreviation.isEmpty
        }
        if let last = transitionTimes.last, instant >= last, let footer {
            let type = isDaylightSaving ? footer.daylight : footer.standard
            if let type, matches(type) { return type.abbreviation }
        } else if let first = transitionTimes.first, instant >= first {
            let index = (transitionTimes.lastIndex { $0 <= instant }).map { transitionTypes[$0] }
            if let index, index < types.count, matches(types[index]) { return types[index].abbreviation }
        }
        return types.last(where: matches)?.abbreviation
    }

    /// The names and offsets of a POSIX TZ string such as `EET-2EEST,M3.5.0/3,M10.5.0/4` or `<+09>-9`;
    /// the rules after the comma are not needed here, since Foundation gives the transitions.
    private static func parsePOSIX(_ text: String) -> (standard: LocalTimeType, daylight: LocalTimeType?)? {
        var rest = Substring(text)
        func name() -> String? {
            if rest.first == "<" {
                guard let close = rest.firstIndex(of: ">") else { return nil }
                let name = rest[rest.index(after: rest.startIndex)..<close]
                rest = rest[rest.index(after: close)...]
                return String(name)
            }
            let name = rest.prefix { $0.isLetter }
            rest = rest.dropFirst(name.count)
            return name.count >= 3 ? String(name) : nil
        }
        func offset() -> Int? {
            var sign = 1
            if rest.first == "+" || rest.first == "-" {
                sign = rest.first == "-" ? -1 : 1
                rest = rest.dropFirst()
            }
            let parts = rest.prefix { $0.isNumber || $0 == ":" }
            guard !parts.isEmpty else { return nil }
            rest = rest.dropFirst(parts.count)
            var seconds = 0
            var unit = 3600
            for part in parts.split(separator: ":", omittingEmptySubsequences: false) {
                guard let value = Int(part) else { return nil }
                seconds += value * unit
                unit /= 60
            }
            // POSIX counts hours west of Greenwich; iCalendar and TZif count east.
            return -sign * seconds
        }
        guard let standardName = name(), let standardOffset = offset() else { return nil }
        let standard = LocalTimeType(offset: standardOffset, isDaylightSaving: false, abbreviation: standardName)
        guard !rest.isEmpty, rest.first != ",", let daylightName = name() else { return (standard, nil) }
        let daylightOffset = (rest.isEmpty || rest.first == ",") ? standardOffset + 3600 : (offset() ?? standardOffset + 3600)
        return (standard, LocalTimeType(offset: daylightOffset, isDaylightSaving: true, abbreviation: daylightName))
    }

    /// Reads big-endian TZif fields (RFC 8536 §3).
    private struct Reader {
        let bytes: [UInt8]
        var position = 0

        struct Header {
            var version: Int
            var isUTCCount, isStandardCount, leapCount, timeCount, typeCount, characterCount: Int

            func blockSize(timeSize: Int) -> Int {
                timeCount * (timeSize + 1) + typeCount * 6 + characterCount + leapCount * (timeSize + 4)
                    + isStandardCount + isUTCCount
            }
        }

        mutating func header() -> Header? {
            guard position + 44 <= bytes.count, bytes[position..<position + 4].elementsEqual("TZif".utf8) else { return nil }
            let versionByte = bytes[position + 4]
            let version = versionByte == 0 ? 1 : Int(versionByte) - Int(UInt8(ascii: "0"))
            position += 20
            var counts: [Int] = []
            for _ in 0..<6 { counts.append(Int(integer(size: 4))) }
            return Header(
                version: version, isUTCCount: counts[0], isStandardCount: counts[1], leapCount: counts[2],
                timeCount: counts[3], typeCount: counts[4], characterCount: counts[5])
        }

        mutating func skip(_ count: Int) -> Bool {
            guard position + count <= bytes.count else { return false }
            position += count
            return true
        }

        mutating func block(_ header: Header, timeSize: Int) -> ([Int64], [Int], [LocalTimeType])? {
            guard position + header.blockSize(timeSize: timeSize) <= bytes.count else { return nil }
            let times = (0..<header.timeCount).map { _ in integer(size: timeSize) }
            let indices = bytes[position..<position + header.timeCount].map(Int.init)
            position += header.timeCount
            var raw: [(offset: Int, isDaylightSaving: Bool, nameIndex: Int)] = []
            for _ in 0..<header.typeCount {
                let offset = Int(integer(size: 4))
                raw.append((offset, bytes[position] != 0, Int(bytes[position + 1])))
                position += 2
            }
            let characters = Array(bytes[position..<position + header.characterCount])
            position += header.characterCount
            position += header.leapCount * (timeSize + 4) + header.isStandardCount + header.isUTCCount
            let types = raw.map { type in
                let start = min(type.nameIndex, characters.count)
                let end = characters[start...].firstIndex(of: 0) ?? characters.count
                return LocalTimeType(
                    offset: type.offset, isDaylightSaving: type.isDaylightSaving,
                    abbreviation: String(decoding: characters[start..<end], as: UTF8.self))
            }
            return (times, indices, types)
        }

        mutating func footer() -> String? {
            guard position < bytes.count, bytes[position] == 0x0A,
                let end = bytes[(position + 1)...].firstIndex(of: 0x0A)
            else { return nil }
            return String(decoding: bytes[(position + 1)..<end], as: UTF8.self)
        }

        /// A signed big-endian integer of 4 or 8 octets.
        mutating func integer(size: Int) -> Int64 {
            var value: UInt64 = 0
            for index in position..<position + size { value = value << 8 | UInt64(bytes[index]) }
            position += size
            return size == 4 ? Int64(Int32(bitPattern: UInt32(truncatingIfNeeded: value))) : Int64(bitPattern: value)
        }
    }
}
