import ArgumentParser
import TiedotinCore

/// `tiedotin members list [--network ID] [--format table|csv|json]`.
struct MembersListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Show the members, of every network or of one.",
        discussion: """
            --format csv writes a file `members import` reads back; --format json writes one JSON array: \
            [{"email", "name", "organisation", "networks": [id], "unsubscribed": bool, "invitations_off": bool, \
            "undeliverable": str or null}].
            """)

    /// How the list is written.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, csv, json
    }

    @OptionGroup var config: ConfigOptions
    @Option(help: ArgumentHelp("Only this network's members.", valueName: "id")) var network: String?
    @Option(help: "table, csv or json.") var format: Format = .table

    func run() async throws {
        let lists = try MembersCommand.open(config)
        let members = try MembersCommand.reporting { try lists.list(network: network) }
        switch format {
        case .table: print(MemberExport.table(members), terminator: "")
        case .csv: print(MemberExport.csv(members), terminator: "")
        case .json: print(try MembersCommand.reporting { try MemberExport.json(members) }, terminator: "")
        }
    }
}
