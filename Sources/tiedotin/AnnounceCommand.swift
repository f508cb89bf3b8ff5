import ArgumentParser
import Foundation
import TiedotinCore

/// `tiedotin announce`: a one-off notice to the members of networks.
struct AnnounceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "announce", abstract: "Mail a one-off notice (Markdown) to the members of networks.",
        discussion: """
            Every member of the networks gets one copy, however many of the networks they are on; \
            members who unsubscribed get none. The Markdown becomes an HTML and a plain-text part; \
            raw HTML in it is shown as text, and only http, https and mailto links are kept. \
            The whole send is queued at once or not at all. With --wait: exit 0 when every \
            message went out, 3 when some failed or wait for a later retry.
            """)
    @OptionGroup var config: ConfigOptions
    @Option(name: .customLong("network"), help: ArgumentHelp("A network id (repeat for several).", valueName: "id"))
    var networks: [String] = []
    @Option(help: "The subject line.") var subject: String
    @Option(help: ArgumentHelp("The message, in Markdown (UTF-8).", valueName: "file.md")) var body: String
    @Flag(help: "Deliver now and return when nothing is left that is due.") var wait = false

    func validate() throws {
        if networks.isEmpty { throw ValidationError("name at least one --network") }
        if subject.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--subject must not be empty") }
    }

    func run() async throws {
        let context = try CommandContext.open(config)
        let markdown: String
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: body))
            guard let text = String(data: data, encoding: .utf8) else {
                printError("\(body): the file is not UTF-8 text; save it as UTF-8 and try again")
                throw ExitCode(1)
            }
            markdown = text
        } catch let error as ExitCode {
            throw error
        } catch {
            printError("\(body): cannot read the message (\(error.localizedDescription))")
            throw ExitCode(1)
        }
        let queued: (sendID: Int64, messages: Int, leftOut: [UnmailableMember])
        do {
            queued = try NoticeComposer(configuration: context.configuration).queue(
                Announcement(networks: networks, subject: subject, markdown: markdown), in: context.outbox, at: Date())
        } catch {
            printError("nothing was queued: \(error)")
            throw ExitCode(1)
        }
        print("queued \(queued.messages) messages: \"\(subject)\"")
        for member in queued.leftOut {
            printError("left out \(member.email): \(member.problem)")
        }
        if wait {
            try await WaitForDelivery.run(context, scope: [queued.sendID])
        } else if WakeSocket.wake(context.configuration.paths.wakeSocket) {
            print("the running service sends them")
        } else if let pid = DeliveryLock.holder(of: context.configuration.paths.lockFile) {
            print("process \(pid) is delivering; it or the next `tiedotin serve` sends them")
        } else {
            print("no service is running: `tiedotin serve` (or announce --wait) sends them")
        }
    }
}
