import ArgumentParser
import Foundation
import TiedotinCore

/// `tiedotin newsletter ...`: the editors' and the admin's hand on the next edition.
struct NewsletterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "newsletter", abstract: "Preview, send, hold, release or approve the next edition.",
        discussion: """
            Editions go out at the send times of newsletter.schedule. At newsletter.preview_lead before \
            a send time the editors get a preview by mail, and the edition is fixed: items accepted later \
            wait for the next one. With newsletter.approval: required it goes only after `approve`.
            """,
        subcommands: [
            NewsletterPreviewCommand.self, NewsletterSendNowCommand.self, NewsletterHoldCommand.self,
            NewsletterReleaseCommand.self, NewsletterApproveCommand.self,
        ])
}

extension CommandContext {
    /// The edition desk of the config and database.
    func editionDesk(onQueued: @escaping @Sendable () -> Void = {}) throws -> EditionDesk {
        do {
            return try EditionDesk(
                configuration: configuration, store: store,
                meetings: MeetingListing.upcomingQuery(configuration: configuration, store: store),
                logger: logger, onQueued: onQueued)
        } catch {
            printError("newsletter.schedule: \(error)")
            throw ExitCode(1)
        }
    }

    /// Runs an edition step; its error is printed for the admin and ends the command with status 1.
    func editionStep<T>(_ step: () throws -> T) throws -> T {
        do {
            return try step()
        } catch {
            printError("\(error)")
            throw ExitCode(1)
        }
    }

    /// Tells a running service that mail was queued, or says that none runs.
    func wakeServiceForQueuedMail() {
        if WakeSocket.wake(configuration.paths.wakeSocket) {
            print("the running service sends it")
        } else if let pid = DeliveryLock.holder(of: configuration.paths.lockFile) {
            print("process \(pid) is delivering; it or the next `tiedotin serve` sends it")
        } else {
            print("no service is running: `tiedotin serve` sends it")
        }
    }

    /// "the edition of 2027-01-05 09:00 (Järjestö- ja seurakuntatiedote 5.1.2027)".
    func describe(_ edition: Edition) -> String {
        "the edition of \(timestamp.readable(edition.scheduledFor))" + (edition.subject.map { " (\($0))" } ?? "")
    }
}
