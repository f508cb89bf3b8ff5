import ArgumentParser
import Foundation
import TiedotinCore

/// `tiedotin newsletter approve`.
struct NewsletterApproveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve", abstract: "Approve the next edition (when newsletter.approval is required).",
        discussion: "Approves the edition whose preview the editors got; when its send time has passed, it is queued at once.")
    @OptionGroup var config: ConfigOptions

    func run() async throws {
        let context = try CommandContext.open(config)
        let desk = try context.editionDesk()
        let edition = try context.editionStep { try desk.approve(now: Date()) }
        print("approved \(context.describe(edition))")
        if edition.held { print("it is held too: `tiedotin newsletter release` lets it go") }
        if edition.scheduledFor <= Date(), !edition.held { context.wakeServiceForQueuedMail() }
    }
}
