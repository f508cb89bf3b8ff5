import ArgumentParser
import Foundation
import TiedotinCore

/// `tiedotin newsletter hold`.
struct NewsletterHoldCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hold", abstract: "Hold the next edition back.",
        discussion: "A held edition is not sent at its send time; the editors are told. `release` lets it go.")
    @OptionGroup var config: ConfigOptions

    func run() async throws {
        let context = try CommandContext.open(config)
        let desk = try context.editionDesk()
        let edition = try context.editionStep { try desk.hold(now: Date()) }
        print("held \(context.describe(edition)); `tiedotin newsletter release` lets it go")
    }
}
