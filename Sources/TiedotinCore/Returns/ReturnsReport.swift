import Foundation

/// What came back, for `status` and `outbox status`: unsubscribes by source, bounces, ignored
/// auto-replies and the messages that wait for the admin in the two Maildirs.
public struct ReturnsReport: Sendable {
    /// Unsubscribes in force by where they came from: `one-click`, `web`, `mail`, `command`, `admin`.
    public var unsubscribes: [String: Int]
    /// Bounces that failed for good (the address was marked undeliverable).
    public var permanentBounces: Int
    /// Bounces that reported a delay.
    public var temporaryBounces: Int
    /// Automatic replies recognised and ignored, in both mailboxes.
    public var autoReplies: Int
    /// Messages ever kept and flagged for the admin (no valid token, garbage, an untrusted bounce).
    public var keptForAdmin: Int
    /// Flagged messages the admin has not opened yet, counted in the Maildirs; nil when neither can be read.
    public var waitingForAdmin: Int?
    /// The latest permanent failures, newest first.
    public var recentPermanent: [(email: String, answer: String, at: Date)]

    /// Reads the counts from the database and the Maildirs named in `configuration`.
    public init(store: Store, configuration: Configuration) throws {
        unsubscribes = try store.unsubscribeCounts()
        let counts = try store.returnedMailCounts()
        let bounces = counts[.bounces] ?? [:]
        permanentBounces = bounces[.permanent] ?? 0
        temporaryBounces = bounces[.temporary] ?? 0
        autoReplies = counts.values.reduce(0) { $0 + ($1[.autoReply] ?? 0) }
        keptForAdmin = counts.values.reduce(0) { $0 + ($1[.keptForAdmin] ?? 0) }
        let folders = [configuration.newsletter.unsubscribe.mailbox, configuration.mail.bounces?.mailbox]
            .compactMap { $0 }.map(MaildirFolder.init(path:))
        let waiting = folders.compactMap { $0.waitingForAdmin() }
        waitingForAdmin = waiting.isEmpty ? nil : waiting.reduce(0, +)
        recentPermanent = try store.recentPermanentBounces(limit: 10).map { (email: $0.emailKey, answer: $0.answer, at: $0.at) }
    }

    /// The `"returns"` object of `status --json` and `outbox status --json`.
    public func json(_ time: Timestamp) -> [String: Any] {
        [
            "unsubscribes": unsubscribes,
            "bounces": ["permanent": permanentBounces, "temporary": temporaryBounces],
            "auto_replies_ignored": autoReplies,
            "kept_for_admin": keptForAdmin,
            "waiting_for_admin": waitingForAdmin.map { $0 as Any } ?? NSNull(),
            "recent_permanent": recentPermanent.map { ["email": $0.email, "answer": $0.answer, "at": time.iso8601($0.at)] },
        ]
    }

    /// The lines `status` prints, indented like the rest of it.
    public func lines() -> [String] {
        let sources = unsubscribes.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }
        var lines = ["  unsubscribes: " + (sources.isEmpty ? "none" : sources.joined(separator: ", "))]
        lines.append("  bounces: \(permanentBounces) permanent (address marked undeliverable), \(temporaryBounces) temporary; "
            + "\(autoReplies) auto-replies ignored")
        if let waitingForAdmin {
            lines.append("  waiting for the admin: \(waitingForAdmin) flagged messages in the unsubscribe and bounce Maildirs")
        }
        return lines
    }
}
