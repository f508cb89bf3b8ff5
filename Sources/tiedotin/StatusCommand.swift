import ArgumentParser
import Foundation
import TiedotinCore

/// `tiedotin status [--json]`.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Whether the service runs, what is due next, queue sizes, rate caps, waiting files, the last error.")
    @OptionGroup var config: ConfigOptions
    @Flag(help: "One JSON document on standard output.") var json = false

    func run() async throws {
        let context = try CommandContext.open(config)
        let status = try ServiceStatus(configuration: context.configuration, store: context.store, now: Date())
        if json {
            try printJSON(status.json(context.timestamp))
        } else {
            // Without secrets: looking at the service must not need the relay password.
            let destination = TransportFactory.make(for: context.configuration.mail, password: nil).destination
            for line in status.text(context.timestamp, organisation: context.configuration.organisation.name, destination: destination) {
                print(line)
            }
        }
    }
}
