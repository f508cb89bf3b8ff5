import ArgumentParser
import Foundation
import TiedotinCore

/// `tiedotin newsletter send-now [--wait]`.
struct NewsletterSendNowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send-now", abstract: "Compile and queue an edition now.",
        discussion: """
            Queues the fixed edition the editors previewed, even if it is held or not approved; \
            without one, a new edition of every item waiting. With --wait: exit 0 when every \
            message went out, 3 when some failed or wait for a later retry.
            """)
    @OptionGroup var config: ConfigOptions
    @Flag(help: "Deliver before exiting.") var wait = false

    func run() async throws {
        let context = try CommandContext.open(config)
        let desk = try context.editionDesk()
        let queued = try context.editionStep { try desk.sendNow(now: Date()) }
        print("queued \(context.describe(queued.edition)) for \(queued.messages) members")
        if wait {
            try await WaitForDelivery.run(context, scope: [queued.sendID])
        } else {
            context.wakeServiceForQueuedMail()
        }
    }
}
