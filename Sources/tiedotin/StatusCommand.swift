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
        let unmailable = try MemberLists(store: context.store, networks: context.configuration.networks.map(\.id)).unmailable()
        let edition = try? context.editionDesk().nextEdition(now: Date())
        let returns = try ReturnsReport(store: context.store, configuration: context.configuration)
        if json {
            var document = status.json(context.timestamp)
            document["unmailable"] = unmailable.map { ["email": $0.email, "problem": $0.problem] }
            document["edition"] = edition.map { $0.json(context.timestamp) as Any } ?? NSNull()
            document["returns"] = returns.json(context.timestamp)
            try printJSON(document)
            return
        }
        // Without secrets: looking at the service must not need the relay password.
        let destination = TransportFactory.make(for: context.configuration.mail, password: nil).destination
        let time = context.timestamp
        for line in status.text(time, organisation: context.configuration.organisation.name, destination: destination) {
            // The edition's own lines say more than its date.
            if line.hasPrefix("  next edition:"), let edition {
                edition.lines(time).forEach { print($0) }
            } else {
                print(line)
            }
        }
        returns.lines().forEach { print($0) }
        if !unmailable.isEmpty {
            print("  members left out of every send until their entry is fixed:")
            for member in unmailable { print("    \(member.email): \(member.problem)") }
        }
    }
}
