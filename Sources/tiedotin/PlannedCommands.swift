import ArgumentParser

// Commands of the contract that later work fills in. Each says so and exits 2 until then.

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the service (systemd's ExecStart).")
    @OptionGroup var config: ConfigOptions
    @Flag(help: "One pass of everything that is due, then exit.") var once = false
    @Option(help: "trace, debug, info, notice, warning or error (default: logging.level).") var logLevel: String?
    func run() async throws { try NotYetAvailable.fail("serve", comesWith: "the delivery issue") }
}

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "What is due next, queue sizes, last errors.")
    @OptionGroup var config: ConfigOptions
    @Flag(help: "One JSON document on standard output.") var json = false
    func run() async throws { try NotYetAvailable.fail("status", comesWith: "the delivery issue") }
}

struct MembersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "members", abstract: "Manage the member lists of the networks.")
    func run() async throws { try NotYetAvailable.fail("members", comesWith: "the foundation issue") }
}

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

struct AnnounceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "announce", abstract: "Mail a one-off notice (Markdown) to the members of networks.")
    func run() async throws { try NotYetAvailable.fail("announce", comesWith: "the delivery issue") }
}

struct OutboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox", abstract: "The delivery queue: status and retry.")
    func run() async throws { try NotYetAvailable.fail("outbox", comesWith: "the delivery issue") }
}
