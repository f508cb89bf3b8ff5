import ArgumentParser
import Foundation
import TiedotinCore

/// `tiedotin members unsubscribe EMAIL [--all]`.
struct MembersUnsubscribeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unsubscribe",
        abstract: "Stop newsletters and notices to an address (with --all, invitations too).",
        discussion: """
            Kept by address: it survives imports, --sync and remove/add, and it works for an address \
            that is not a member yet. Only `members resubscribe` lifts it.
            """)

    @OptionGroup var config: ConfigOptions
    @Argument(help: "The address.") var email: String
    @Flag(help: "Stop invitations too.") var all = false

    func run() async throws {
        let lists = try MembersCommand.open(config)
        let unsubscription = try MembersCommand.reporting {
            try lists.store.unsubscribe(email: email, scope: all ? .all : .notices, source: "admin", at: Date())
        }
        let what = unsubscription.scope == .all
            ? "no mail from tiedotin, invitations included"
            : "no newsletters or notices (invitations to their forums still come)"
        if unsubscription.changed {
            print("\(email) gets \(what).")
            if unsubscription.withdrawn > 0 {
                print("\(unsubscription.withdrawn) message(s) to them still waiting in the outbox will not go.")
            }
        } else {
            print("\(email) had unsubscribed already and gets \(what); nothing changed.")
        }
        if !unsubscription.isMember {
            print("\(email) is not a member now; the unsubscribe is kept for when they are.")
        }
    }
}
