import ArgumentParser
import Foundation
import TiedotinCore

/// `tiedotin status [--json]`.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "What is due next, queue sizes, last errors.")
    @OptionGroup var config: ConfigOptions
    @Flag(help: "One JSON document on standard output.") var json = false

    func run() async throws {
        let context = try CommandContext.open(config)
        let counts = try context.outbox.counts()
        let lastError = try context.outbox.lastError()
        let incoming = DropFolderCount.incoming(in: context.configuration.paths.dropFolder)
        let holder = DeliveryLock.holder(of: context.configuration.paths.lockFile)
        let nextEdition = try? NewsletterSchedule(context.configuration).nextEdition(after: Date())
        let unmailable = try MemberLists(store: context.store, networks: context.configuration.networks.map(\.id)).unmailable()
        let edition = try? context.editionDesk().nextEdition(now: Date())
        if json {
            try printJSON([
                "next_edition": nextEdition.map(context.timestamp.iso8601) ?? NSNull(),
                "queue": OutboxReport.countsJSON(counts),
                "incoming": incoming,
                "last_error": lastError?.message ?? NSNull(),
                "service_pid": holder.map { Int($0) as Any } ?? NSNull(),
                "unmailable": unmailable.map { ["email": $0.email, "problem": $0.problem] },
                "edition": edition.map { $0.json(context.timestamp) as Any } ?? NSNull(),
            ] as [String: Any])
            return
        }
        let time = context.timestamp
        print("tiedotin — \(context.configuration.organisation.name)")
        print("  service: " + (holder.map { "running (process \($0))" } ?? "not running"))
        if let edition {
            edition.lines(time).forEach { print($0) }
        } else if let nextEdition {
            print("  next edition: \(time.readable(nextEdition))")
        }
        print("  outbox: \(counts.queued) queued, \(counts.deferred) deferred, \(counts.sending) sending, \(counts.sent) sent, \(counts.failed) failed")
        if let next = try context.outbox.nextAttempt() { print("  next delivery attempt: \(time.readable(next))") }
        print("  drop folder: \(incoming) files in incoming/")
        if let lastError { print("  last error (\(time.readable(lastError.at))): \(lastError.message)") }
        if !unmailable.isEmpty {
            print("  members left out of every send until their entry is fixed:")
            for member in unmailable { print("    \(member.email): \(member.problem)") }
        }
    }
}

/// Counts what waits in the drop folder without touching it.
enum DropFolderCount {
    static func incoming(in dropFolder: String) -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dropFolder + "/incoming")) ?? []
        return names.filter { name in
            !(name.hasPrefix(".") || name.hasPrefix("~") || name.hasSuffix(".tmp") || name.hasSuffix(".part"))
        }.count
    }
}
