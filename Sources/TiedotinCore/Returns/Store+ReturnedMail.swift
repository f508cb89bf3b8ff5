import Foundation
import GRDB

/// The `returned_mail` table: one row per message read from the unsubscribe and bounce Maildirs.
/// Only this area writes it.
extension Store {
    /// Records what was done with the message `name` of `mailbox`. Returns false when that message was
    /// recorded before (it was read again after a crash before it was filed), so it is not counted twice.
    @discardableResult
    func recordReturnedMail(_ verdict: ReturnedMailVerdict, mailbox: ReturnedMailbox, message name: String, at date: Date) throws -> Bool {
        try write { db in
            try db.execute(sql: """
                INSERT OR IGNORE INTO returned_mail (mailbox, message, outcome, email_key, detail, processed_at)
                VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [
                    mailbox.rawValue, MaildirFolder.uniqueName(name), verdict.outcome.rawValue, verdict.emailKey,
                    verdict.detail, date.timeIntervalSince1970,
                ])
            return db.changesCount > 0
        }
    }

    /// How many messages of each mailbox ended in each outcome, since the service first read them.
    func returnedMailCounts() throws -> [ReturnedMailbox: [ReturnedMailOutcome: Int]] {
        try read { db in
            var counts: [ReturnedMailbox: [ReturnedMailOutcome: Int]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT mailbox, outcome, count(*) FROM returned_mail GROUP BY mailbox, outcome") {
                guard let mailbox = ReturnedMailbox(rawValue: row[0]), let outcome = ReturnedMailOutcome(rawValue: row[1]) else {
                    continue
                }
                counts[mailbox, default: [:]][outcome] = row[2]
            }
            return counts
        }
    }

    /// The latest permanent failures, newest first: who, with the server's words, and when.
    func recentPermanentBounces(limit: Int) throws -> [(emailKey: String, answer: String, at: Date)] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT email_key, detail, processed_at FROM returned_mail
                WHERE mailbox = 'bounces' AND outcome = 'permanent' ORDER BY processed_at DESC, id DESC LIMIT ?
                """, arguments: [limit]).map { row in
                (emailKey: row["email_key"] ?? "", answer: row["detail"] ?? "", at: Date(timeIntervalSince1970: row["processed_at"]))
            }
        }
    }
}
