extension Duration {
    private static let units: [(suffix: Character, seconds: Int64)] = [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)]

    /// Reads a config duration: a whole number with a unit `s`, `m`, `h` or `d` (`30s`, `90m`, `2h`,
    /// `21d`), or several in a row from largest to smallest (`1h30m`). Nil when the text is not one.
    public init?(configurationText text: String) {
        var total: Int64 = 0
        var digits = ""
        var lastUnit = -1
        for character in text {
            if character.isASCII, character.isNumber {
                digits.append(character)
                continue
            }
            // Units must come largest first and once each: "1h30m", not "30m1h".
            guard let unit = Self.units.firstIndex(where: { $0.suffix == character }), unit > lastUnit,
                  !digits.isEmpty, digits.count <= 9, let number = Int64(digits)
            else { return nil }
            total += number * Self.units[unit].seconds
            lastUnit = unit
            digits = ""
        }
        guard lastUnit >= 0, digits.isEmpty else { return nil }
        self = .seconds(total)
    }

    /// The duration as the config writes it, largest units first: `21d`, `1h30m`, `30s`, `0s`.
    public var configurationText: String {
        var remaining = components.seconds
        guard remaining > 0 else { return "0s" }
        var text = ""
        for (suffix, seconds) in Self.units where remaining >= seconds {
            text += "\(remaining / seconds)\(suffix)"
            remaining %= seconds
        }
        return text
    }
}
