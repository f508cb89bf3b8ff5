/// RFC 5545 §3.3.14 UTC-OFFSET values: `+0200`, `-0500`, seconds only when there are any (`+013945`
/// for a historical local mean time). Zero is `+0000`, since §3.3.14 forbids `-0000`.
enum UTCOffset {
    static func format(_ seconds: Int) -> String {
        let magnitude = abs(seconds)
        var text = seconds < 0 ? "-" : "+"
        text += twoDigits(magnitude / 3600) + twoDigits(magnitude / 60 % 60)
        if magnitude % 60 != 0 { text += twoDigits(magnitude % 60) }
        return text
    }

    private static func twoDigits(_ value: Int) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}
