import ArgumentParser
import TiedotinCore

/// `tiedotin members resubscribe EMAIL`.
struct MembersResubscribeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resubscribe",
        abstract: "Lift an unsubscribe, only at the person's own request.")

    @OptionGroup var config: ConfigOptions
    @Argument(help: "The address.") var email: String

    func run() async throws {
        let lists = try MembersCommand.open(config)
        if try MembersCommand.reporting({ try lists.store.resubscribe(email: email) }) != nil {
            print("\(email) gets newsletters, notices and invitations again.")
        } else {
            print("\(email) had not unsubscribed; nothing changed.")
        }
    }
}
