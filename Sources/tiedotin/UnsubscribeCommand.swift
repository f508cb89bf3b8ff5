import ArgumentParser
import Foundation
import TiedotinCore

/// `tiedotin unsubscribe TOKEN`.
struct UnsubscribeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unsubscribe", abstract: "Apply a personal unsubscribe token (from a newsletter link).",
        discussion: """
            The token from the List-Unsubscribe header or the footer link of any newsletter or notice \
            ever sent. Its owner gets no more newsletters or notices; invitations to forums they sit on \
            still come. Exit 1 when no one was given the token.
            """)
    @OptionGroup var config: ConfigOptions
    @Argument(help: "The token.") var token: String

    func run() async throws {
        let context = try CommandContext.open(config)
        let result: Unsubscription?
        do {
            result = try context.store.unsubscribe(
                token: token.trimmingCharacters(in: .whitespaces), source: .command, at: Date())
        } catch {
            printError("\(error)")
            throw ExitCode(1)
        }
        guard let result else {
            printError("no one was given the token \"\(token)\"; copy the whole token from the link (26 letters and digits)")
            throw ExitCode(1)
        }
        print(result.changed ? "unsubscribed \(result.emailKey)" : "\(result.emailKey) was already unsubscribed")
    }
}
