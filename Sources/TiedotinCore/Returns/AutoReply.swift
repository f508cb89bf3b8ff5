import Foundation

/// Recognises automatic replies ("out of office"), which are neither bounces nor requests.
enum AutoReply {
    /// Subjects that out-of-office replies start with, in the languages the county's members write.
    private static let subjectStarts = [
        "out of office", "automatic reply", "auto reply", "auto-reply", "autoreply", "auto:", "autosvar",
        "automaattinen vastaus", "automaattivastaus", "poissa", "lomalla", "frånvaro", "abwesenheit", "absence",
    ]

    /// Whether `message` was sent by a machine answering on a person's behalf: RFC 3834's `Auto-Submitted`
    /// (any value but `no`), the older `X-Autoreply`/`X-Autorespond` and `Precedence: auto_reply`, or a
    /// subject that says so. Check for a delivery report first: DSNs carry `Auto-Submitted` too.
    static func recognises(_ message: ReceivedMessage) -> Bool {
        if let value = message.field("Auto-Submitted")?.lowercased(), !value.hasPrefix("no") { return true }
        if message.field("X-Autoreply") != nil || message.field("X-Autorespond") != nil { return true }
        if message.field("Precedence")?.lowercased().trimmingCharacters(in: .whitespaces) == "auto_reply" { return true }
        guard let subject = message.subject?.lowercased() else { return false }
        return subjectStarts.contains { subject.hasPrefix($0) }
    }
}
