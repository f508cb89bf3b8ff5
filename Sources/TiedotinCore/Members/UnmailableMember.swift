import MIME

/// A member whose stored address or name breaks the rule the mail writer follows (a database from
/// before the import checked it: a control character in the name, non-ASCII before the @). Sends
/// leave such a member out, and `announce` and `status` name them so the admin can fix the entry.
public struct UnmailableMember: Sendable, Equatable {
    public var email: String
    /// What is wrong, and how to fix it.
    public var problem: String

    /// What keeps a message to this entry from being written, or nil when nothing does. The rule is
    /// `EmailAddress`'s, the one the import and the mail writer use.
    static func problem(email: String, name: String?) -> String? {
        do {
            try EmailAddress.validate(address: email)
        } catch {
            return "the address cannot be mailed: \(error); `tiedotin members remove \(email)` and add a correct address"
        }
        guard let name else { return nil }
        do {
            try EmailAddress.validate(displayName: name)
        } catch {
            return "the name \(visible(name)) cannot go in a mail header: \(error); "
                + "correct it with `tiedotin members add \(email) --network ID --name \"...\"`"
        }
        return nil
    }

    /// `text` in quotes with its control characters written as `\u{1}`, `\u{90}`: what the admin
    /// must see to find them, since a terminal shows them as nothing.
    static func visible(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            if scalar.properties.generalCategory == .control || scalar == "\"" || scalar == "\\" {
                result += scalar.value < 0x80 && scalar.properties.generalCategory != .control
                    ? "\\" + String(scalar) : "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
