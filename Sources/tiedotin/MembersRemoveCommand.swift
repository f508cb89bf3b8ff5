import ArgumentParser
import TiedotinCore

/// `tiedotin members remove EMAIL [--network ID]`.
struct MembersRemoveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove",
        abstract: "Take an address off one network, or off all of them.",
        discussion: """
            Without --network the member record goes. A member left on no network is deleted too. \
            An unsubscribe and the personal token stay with the address.
            """)

    @OptionGroup var config: ConfigOptions
    @Argument(help: "The address (any case).") var email: String
    @Option(help: ArgumentHelp("Only this network.", valueName: "id")) var network: String?

    func run() async throws {
        let lists = try MembersCommand.open(config)
        let removal = try MembersCommand.reporting { try lists.remove(email: email, network: network) }
        print("Removed \(removal.email) from \(removal.removedFrom.joined(separator: ", ")).")
        if removal.memberDeleted, network != nil {
            print("\(removal.email) is on no network now, so the member record went too.")
        }
    }
}
