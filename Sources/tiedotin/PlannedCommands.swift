import ArgumentParser

// Commands of the contract that later work fills in. Each says so and exits 2 until then.

struct UnsubscribeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unsubscribe", abstract: "Apply a personal unsubscribe token (from a newsletter link).")
    @OptionGroup var config: ConfigOptions
    @Argument(help: "The token.") var token: String
    func run() async throws { try NotYetAvailable.fail("unsubscribe", comesWith: "the unsubscribe issue") }
}

struct IntakeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "intake", abstract: "Process the drop folder once.")
    @OptionGroup var config: ConfigOptions
    func run() async throws { try NotYetAvailable.fail("intake", comesWith: "the newsletter issue") }
}

struct NewsletterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "newsletter", abstract: "Preview, send, hold, release or approve the next edition.")
    func run() async throws { try NotYetAvailable.fail("newsletter", comesWith: "the newsletter issue") }
}

struct MeetingsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "meetings", abstract: "Planned meetings with their invitation and reminder state.")
    func run() async throws { try NotYetAvailable.fail("meetings", comesWith: "the meetings issue") }
}

