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
        let what = unsubscription.scope == .all ? "all mail, invitations too" : "newsletters and notices"
        if unsubscription.changed {
            print("\(email) gets no more \(what).")
        } else {
            print("\(email) had unsubscribed from \(what) already; nothing changed.")
        }
        if !all, unsubscription.scope == .all, unsubscription.changed == false {
            print("(To allow invitations again, `tiedotin members resubscribe` and then unsubscribe without --all.)")
        }
        if !unsubscription.isMember {
            print("\(email) is not a member now; the unsubscribe is kept for when they are.")
        }
    }
}
