import Foundation
import Logging
import ServiceLifecycle

/// Reads one of the Maildirs that mail comes back to: each message in `new/` is judged, the verdict
/// recorded in the database, and the message filed into `cur/` (seen, or flagged for the admin).
///
/// A `Service` of `serve`: a pass every `interval` (a directory listing, so an idle service costs
/// nothing measurable), and `runDuePass(now:)` alone for `serve --once`.
public struct MaildirReader: Service, CustomStringConvertible {
    /// Judges one message; throws only when the database cannot be written (the message then waits).
    typealias Judge = @Sendable (ReceivedMessage, Date) throws -> ReturnedMailVerdict

    let mailbox: ReturnedMailbox
    let folder: MaildirFolder
    let store: Store
    let logger: Logger
    let interval: Duration
    let judge: Judge

    /// The most of a message that is read; reports and requests are a few KiB.
    static let readLimit = 1 << 20

    init(mailbox: ReturnedMailbox, path: String, store: Store, logger: Logger, interval: Duration, judge: @escaping Judge) {
        self.mailbox = mailbox
        folder = MaildirFolder(path: path)
        self.store = store
        var logger = logger
        logger[metadataKey: "mailbox"] = "\(mailbox.rawValue)"
        self.logger = logger
        self.interval = interval
        self.judge = judge
    }

    public var description: String { "MaildirReader(\(mailbox.rawValue): \(folder.path))" }

    /// A pass every `interval` until a graceful shutdown, which ends the wait between passes.
    public func run() async {
        if !folder.exists {
            logger.notice("the Maildir \(folder.path) is not there yet; it is read once the mail server has made it")
        }
        // A stop ends the sleep between passes; a pass itself is short and is let finish.
        await cancelWhenGracefulShutdown { [self] in
            while !Task.isCancelled {
                _ = runDuePass(now: Date())
                do {
                    try await Task.sleep(for: interval)
                } catch {
                    return
                }
            }
        }
    }

    /// Reads every message waiting in `new/` now. Stops at the first message that cannot be recorded or
    /// filed (it stays in `new/` and is read again on the next pass); says so in the log and the result.
    @discardableResult
    public func runDuePass(now: Date) -> ReturnedMailPass {
        var pass = ReturnedMailPass()
        guard folder.exists else { return pass }
        let names: [String]
        do {
            names = try folder.newMessages()
        } catch {
            pass.problem = "cannot list \(folder.path)/new: \(error.localizedDescription)"
            logger.error("\(pass.problem ?? "")")
            return pass
        }
        for name in names {
            do {
                let message = ReceivedMessage(bytes: try folder.read(name, limit: MaildirReader.readLimit))
                let verdict = try judge(message, now)
                try store.recordReturnedMail(verdict, mailbox: mailbox, message: name, at: now)
                try folder.file(name, flags: verdict.outcome.maildirFlags)
                pass.counts[verdict.outcome, default: 0] += 1
                log(verdict, name: name)
            } catch {
                pass.problem = "\(folder.path)/new/\(name): \(error)"
                logger.error("cannot finish with a message; it stays in new/ and is read again", metadata: [
                    "message": "\(name)", "error": "\(error)",
                ])
                break
            }
        }
        return pass
    }

    private func log(_ verdict: ReturnedMailVerdict, name: String) {
        var metadata: Logger.Metadata = ["message": "\(name)", "outcome": "\(verdict.outcome.rawValue)"]
        if let emailKey = verdict.emailKey { metadata["recipient"] = "\(emailKey)" }
        switch verdict.outcome {
        case .keptForAdmin:
            logger.notice("kept for the admin (flagged in the Maildir): \(verdict.detail)", metadata: metadata)
        case .permanent:
            logger.notice("delivery failed for good; the address is marked undeliverable: \(verdict.detail)", metadata: metadata)
        default:
            logger.info("\(verdict.detail)", metadata: metadata)
        }
    }
}

/// What one pass over a Maildir did.
public struct ReturnedMailPass: Sendable, Equatable {
    /// How many messages ended in each outcome.
    public var counts: [ReturnedMailOutcome: Int] = [:]
    /// Why the pass stopped early, if it did.
    public var problem: String?

    /// How many messages were read and filed.
    public var total: Int { counts.values.reduce(0, +) }
}
