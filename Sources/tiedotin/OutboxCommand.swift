import ArgumentParser
import Foundation
import TiedotinCore

/// `tiedotin outbox`: the delivery queue.
struct OutboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox", abstract: "The delivery queue: status and retry.",
        subcommands: [OutboxStatusCommand.self, OutboxRetryCommand.self])
}

/// `tiedotin outbox status [--json]`.
struct OutboxStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Counts per state, messages waiting for a retry, failed recipients with the server's answer, rate caps.")
    @OptionGroup var config: ConfigOptions
    @Flag(help: "One JSON document on standard output.") var json = false

    func run() async throws {
        let context = try CommandContext.open(config)
        let report = try OutboxReport(outbox: context.outbox, rate: context.configuration.mail.rate, now: Date())
        // What came back belongs beside the queue: a bounce is the rest of a delivery's story.
        let returns = try ReturnsReport(store: context.store, configuration: context.configuration)
        if json {
            var document = report.json(context.timestamp)
            document["returns"] = returns.json(context.timestamp)
            try printJSON(document)
        } else {
            // Without secrets: looking at the queue must not need the relay password.
            let destination = TransportFactory.make(for: context.configuration.mail, password: nil).destination
            print(report.text(context.timestamp, destination: destination))
            returns.lines().forEach { print($0) }
            for bounce in returns.recentPermanent {
                print("    bounced \(context.timestamp.iso8601(bounce.at)): \(bounce.email): \(bounce.answer)")
            }
        }
    }
}

/// `tiedotin outbox retry [--failed] [--wait]`.
struct OutboxRetryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry", abstract: "Make deferred messages due now; with --failed, failed ones too.",
        discussion: "With --wait: exit 0 when every message went out, 3 when some failed or wait for a later retry.")
    @OptionGroup var config: ConfigOptions
    @Flag(help: "Failed messages too (after fixing what made them fail).") var failed = false
    @Flag(help: "Deliver now and return when nothing is left that is due.") var wait = false

    func run() async throws {
        let context = try CommandContext.open(config)
        let retry = try context.outbox.retryNow(includeFailed: failed, now: Date())
        print("\(try context.outbox.counts(bodyIDs: retry.sends).queued) messages are due now.")
        if retry.keptFailed > 0 {
            print("\(retry.keptFailed) failed message(s) stay failed: the address has since unsubscribed or been marked undeliverable.")
        }
        if wait {
            try await WaitForDelivery.run(context, scope: nil)
        } else {
            WakeSocket.wake(context.configuration.paths.wakeSocket)
        }
    }
}
