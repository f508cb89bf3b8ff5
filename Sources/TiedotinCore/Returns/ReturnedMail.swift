import Foundation

/// Which of the two mailboxes a message came from.
public enum ReturnedMailbox: String, Sendable, CaseIterable {
    /// `newsletter.unsubscribe.mailbox`: replies to the `mailto:` of `List-Unsubscribe`.
    case unsubscribe
    /// `mail.bounces.mailbox`: delivery status notifications and auto-replies sent to the envelope sender.
    case bounces
}

/// What became of one message read from a mailbox.
public enum ReturnedMailOutcome: String, Sendable, CaseIterable {
    /// An unsubscribe mail whose token was applied.
    case unsubscribed
    /// A DSN saying delivery failed for good (5.x.x): the address is marked undeliverable.
    case permanent
    /// A DSN saying delivery is delayed (4.x.x): only counted.
    case temporary
    /// A DSN that reports success (delivered, relayed, expanded): only counted.
    case report
    /// An out-of-office or other automatic reply: recognised and ignored.
    case autoReply = "auto-reply"
    /// Anything else (an unsubscribe mail without a valid token, garbage, an untrusted DSN): kept and
    /// flagged for the admin.
    case keptForAdmin = "kept-for-admin"

    /// The Maildir flags the message is filed with: seen when dealt with, flagged when a person should look.
    var maildirFlags: String {
        self == .keptForAdmin ? "F" : "S"
    }
}

/// The verdict on one message: what it was, whom it was about and in whose words.
struct ReturnedMailVerdict: Sendable, Equatable {
    var outcome: ReturnedMailOutcome
    /// The address it concerns (lowercased), when known.
    var emailKey: String?
    /// The server's words, or why the message was kept for the admin.
    var detail: String
}
