import ArgumentParser
import Foundation
import TiedotinCore

/// `tiedotin members ...`: the member lists of the networks.
struct MembersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "members",
        abstract: "Manage the member lists of the networks.",
        discussion: """
            A member is one address (any case) on one or more networks from the config. \
            An unsubscribe is kept by address: it survives imports, --sync and remove/add; \
            only `members resubscribe` lifts it.
            """,
        subcommands: [
            MembersAddCommand.self,
            MembersRemoveCommand.self,
            MembersListCommand.self,
            MembersImportCommand.self,
            MembersUnsubscribeCommand.self,
            MembersResubscribeCommand.self,
        ]
    )

    /// The member lists of the configured database, or exit 1 with why they cannot be opened.
    static func open(_ options: ConfigOptions) throws -> MemberLists {
        let configuration = try options.load()
        let store = try reporting { try Store(path: configuration.paths.database) }
        return MemberLists(store: store, networks: configuration.networks.map(\.id))
    }

    /// Runs `body`; an error the admin can fix is printed to standard error and ends the command with exit 1.
    static func reporting<Result>(_ body: () throws -> Result) throws -> Result {
        do {
            return try body()
        } catch let error as ExitCode {
            throw error
        } catch let error as CustomStringConvertible & Error {
            printError(error.description)
            throw ExitCode(1)
        } catch {
            printError("\(error)")
            throw ExitCode(1)
        }
    }
}
