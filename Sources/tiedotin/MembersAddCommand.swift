import ArgumentParser
import Foundation
import TiedotinCore

/// `tiedotin members add EMAIL --network ID ...`.
struct MembersAddCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Put an address on one or more networks.",
        discussion: """
            Adding an address that is a member already adds the networks it lacks, and replaces the name \
            and organisation when given. It clears an undeliverable mark (you vouch for the address) but \
            never an unsubscribe.
            """)

    @OptionGroup var config: ConfigOptions
    @Argument(help: "The address, e.g. pia.kangas@example.fi.") var email: String
    @Option(name: .customLong("network"), help: ArgumentHelp("A network id from the config; repeat for more.", valueName: "id"))
    var networks: [String] = []
    @Option(help: "The person's name.") var name: String?
    @Option(help: "The person's organisation or parish.") var organisation: String?

    func validate() throws {
        if networks.isEmpty { throw ValidationError("Give at least one --network ID.") }
    }

    func run() async throws {
        let lists = try MembersCommand.open(config)
        let addition = try MembersCommand.reporting {
            try lists.add(email: email, networks: networks, name: name, organisation: organisation, at: Date())
        }
        if !addition.addedTo.isEmpty {
            print("\(addition.isNew ? "Added" : "Put") \(addition.email) on \(addition.addedTo.joined(separator: ", ")).")
        }
        if !addition.alreadyOn.isEmpty {
            print("\(addition.email) was on \(addition.alreadyOn.joined(separator: ", ")) already.")
        }
        if let answer = addition.clearedUndeliverable {
            print("Cleared the undeliverable mark (the relay had answered: \(answer)).")
        }
        if let suppression = addition.suppression {
            let what = suppression.scope == .all ? "all mail, invitations too" : "newsletters and notices"
            print("""
                Note: \(addition.email) has unsubscribed from \(what); that stays until `tiedotin members resubscribe` \
                at their own request.
                """)
        }
    }
}
