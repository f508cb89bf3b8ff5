/// Checks for values that are identifiers rather than free text (UID, addresses, names in parameters,
/// time zone names): a line break there is never meant and could start a property of its own.
enum SingleLineValue {
    /// Throws when `value` has a line break or a control character other than a tab.
    static func check(_ value: String, property: String) throws(ICalendarError) {
        for scalar in value.unicodeScalars {
            switch scalar.value {
            case 0x0A, 0x0D, 0x0B, 0x0C, 0x85, 0x2028, 0x2029:
                throw .lineBreak(property: property)
            case 0x09:
                continue
            case 0x00..<0x20, 0x7F, 0x80..<0xA0:
                throw .controlCharacter(property: property)
            default:
                continue
            }
        }
    }

    /// As `check`, and also refuses an empty value.
    static func checkNonEmpty(_ value: String, property: String) throws(ICalendarError) {
        if value.isEmpty { throw .emptyValue(property: property) }
        try check(value, property: property)
    }
}
