import ArgumentParser
import Foundation
import TiedotinCore

/// `tiedotin newsletter release`.
struct NewsletterReleaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "release", abstract: "Let a held edition go on schedule.",
        discussion: "When its send time has passed, it is queued at once.")
    @OptionGroup var config: ConfigOptions

    func run() async throws {
        let context = try CommandContext.open(config)
        let desk = try context.editionDesk()
        let edition = try context.editionStep { try desk.release(now: Date()) }
        print("released \(context.describe(edition))")
        if edition.scheduledFor <= Date() { context.wakeServiceForQueuedMail() }
    }
}
