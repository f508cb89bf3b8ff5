import ArgumentParser

// Commands of the contract that later work fills in. Each says so and exits 2 until then.

struct IntakeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "intake", abstract: "Process the drop folder once.")
    @OptionGroup var config: ConfigOptions
    func run() async throws { try NotYetAvailable.fail("intake", comesWith: "the newsletter issue") }
}
