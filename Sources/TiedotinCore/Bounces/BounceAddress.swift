import Foundation

/// The VERP envelope sender (`LOCAL+TAG@DOMAIN`, from `mail.bounces.address`) that makes every bounce
/// name the recipient it is about, even when the report inside is garbled.
///
/// TAG is the recipient's personal token: it names the address the message went to, is safe in a local
/// part (lowercase letters and digits) and cannot be guessed, so a stranger who mails a forged report to
/// the bounce address cannot get anyone marked undeliverable.
public enum BounceAddress {
    /// `MAIL FROM` for a message to `recipient`: the VERP address when `mail.bounces` is set, else `mail.from`.
    /// Every composer that queues mail uses this.
    public static func envelopeSender(for recipient: Recipient, mail: Configuration.Mail) -> String {
        envelopeSender(token: recipient.token, mail: mail)
    }

    /// `MAIL FROM` tagged with `token`, or the bare bounce address when there is no token (mail to
    /// someone who is not a member, such as an editor: a bounce of it waits for the admin).
    public static func envelopeSender(token: String?, mail: Configuration.Mail) -> String {
        guard let bounces = mail.bounces else { return mail.from.address }
        guard let token else { return bounces.address.address }
        return tagged(bounces.address.address, tag: token)
    }

    /// `LOCAL+TAG@DOMAIN` from `LOCAL@DOMAIN`.
    static func tagged(_ address: String, tag: String) -> String {
        guard let at = address.lastIndex(of: "@") else { return address + "+" + tag }
        return address[..<at] + "+" + tag + address[at...]
    }

    /// The tag in `address` when it is the bounce address `LOCAL@DOMAIN` with `+TAG` added (any case), else nil.
    static func tag(in address: String, bounceAddress: String) -> String? {
        let address = bare(address).lowercased()
        let bounce = bounceAddress.lowercased()
        guard let at = bounce.lastIndex(of: "@"), let addressAt = address.lastIndex(of: "@"),
              address[addressAt...] == bounce[at...] else { return nil }
        let prefix = bounce[..<at] + "+"
        let local = address[..<addressAt]
        guard local.hasPrefix(prefix), local.count > prefix.count else { return nil }
        return String(local.dropFirst(prefix.count))
    }

    /// The address inside `<...>`, without a display name or `rfc822;` type, trimmed.
    static func bare(_ text: String) -> String {
        var text = Substring(text)
        if let open = text.lastIndex(of: "<"), let close = text[open...].firstIndex(of: ">") {
            text = text[text.index(after: open)..<close]
        } else if let semicolon = text.firstIndex(of: ";") {
            text = text[text.index(after: semicolon)...]
        }
        return text.trimmingCharacters(in: .whitespaces)
    }
}
