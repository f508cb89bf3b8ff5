import Foundation

/// Sizes as the config writes them: plain bytes (`65536`) or binary units (`512KiB`, `1MiB`, `1GiB`).
public enum ByteSize {
    private static let units: [(suffix: String, bytes: Int)] = [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10), ("B", 1)]

    /// The number of bytes, or nil when the text is not a size in this form.
    public static func parse(_ text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let digits = trimmed.prefix { $0.isASCII && $0.isNumber }
        let unit = trimmed.dropFirst(digits.count).trimmingCharacters(in: .whitespaces)
        guard !digits.isEmpty, digits.count <= 12, let number = Int(digits) else { return nil }
        if unit.isEmpty { return number }
        guard let bytes = units.first(where: { $0.suffix == unit })?.bytes else { return nil }
        let (size, overflow) = number.multipliedReportingOverflow(by: bytes)
        return overflow ? nil : size
    }

    /// The size in the largest unit that divides it evenly: `1MiB`, `512KiB`, `1000`.
    public static func format(_ bytes: Int) -> String {
        for (suffix, size) in units.dropLast() where bytes >= size && bytes % size == 0 {
            return "\(bytes / size)\(suffix)"
        }
        return String(bytes)
    }
}
