import ArgumentParser

// Commands of the contract that later work fills in. Each says so and exits 2 until then.

struct IntakeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "intake", abstract: "Process the drop folder once.")
    @OptionGroup var config: ConfigOptions
    func run() async throws { try NotYetAvailable.fail("intake", comesWith: "the newsletter issue") }
}

struct MeetingsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "meetings", abstract: "Planned meetings with their invitation and reminder state.",
        subcommands: [MeetingsListCommand.self])
}

struct MeetingsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "Every planned meeting with its invitation and reminder state.")
    @OptionGroup var config: ConfigOptions
    @Flag(help: "One JSON document on standard output.") var json = false
    func run() async throws { try NotYetAvailable.fail("meetings list", comesWith: "the meetings issue") }
}
