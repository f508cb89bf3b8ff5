import Foundation
import Logging

/// Unsubscribe requests by mail: what a mail client sends for `List-Unsubscribe:
/// <mailto:ADDRESS?subject=unsubscribe%20TOKEN>`, or a person replying with that subject.
enum UnsubscribeMail {
    /// The token in a subject such as `unsubscribe TOKEN` or `Re: Unsubscribe TOKEN`, or nil.
    static func token(inSubject subject: String) -> Substring? {
        let words = subject.split(whereSeparator: { $0.isWhitespace || $0 == ":" })
        guard let keyword = words.firstIndex(where: { $0.lowercased() == "unsubscribe" }), keyword + 1 < words.count else {
            return nil
        }
        let candidate = words[keyword + 1]
        return SubscriberToken.isWellFormed(candidate) ? candidate : nil
    }

    /// The verdict on one message of the unsubscribe Maildir: a valid token unsubscribes its address;
    /// automatic replies are ignored; everything else waits for the admin. The token is looked for first:
    /// a mail client that sends the `mailto:` request by itself may mark it `Auto-Submitted`.
    static func judge(_ message: ReceivedMessage, store: Store, at date: Date) throws -> ReturnedMailVerdict {
        let subject = message.subject ?? ""
        guard let token = token(inSubject: subject) else {
            if AutoReply.recognises(message) {
                return ReturnedMailVerdict(outcome: .autoReply, emailKey: nil, detail: "an automatic reply, ignored")
            }
            let shown = subject.count > 80 ? String(subject.prefix(80)) + "…" : subject
            return ReturnedMailVerdict(
                outcome: .keptForAdmin, emailKey: nil,
                detail: "no unsubscribe token in the subject \"\(shown)\"; read it and unsubscribe the sender with "
                    + "`tiedotin members unsubscribe EMAIL` if that is what they ask")
        }
        guard let done = try store.unsubscribe(token: String(token), source: .mail, at: date) else {
            return ReturnedMailVerdict(
                outcome: .keptForAdmin, emailKey: nil,
                detail: "the token \(SubscriberToken.masked(token)) in the subject was never given out; read the message")
        }
        return ReturnedMailVerdict(
            outcome: .unsubscribed, emailKey: done.emailKey,
            detail: done.changed ? "unsubscribed by mail (token \(SubscriberToken.masked(token)))" : "unsubscribed by mail before; nothing changed")
    }
}

extension MaildirReader {
    /// The reader of `newsletter.unsubscribe.mailbox`, or nil when none is configured.
    public static func unsubscribeMail(
        configuration: Configuration, store: Store, logger: Logger, interval: Duration = .seconds(30)
    ) -> MaildirReader? {
        guard let path = configuration.newsletter.unsubscribe.mailbox else { return nil }
        return MaildirReader(mailbox: .unsubscribe, path: path, store: store, logger: logger, interval: interval) { message, date in
            try UnsubscribeMail.judge(message, store: store, at: date)
        }
    }
}
