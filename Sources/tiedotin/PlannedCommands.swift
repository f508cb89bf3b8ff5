import ArgumentParser

// Commands of the contract that later work fills in. Each says so and exits 2 until then.

struct UnsubscribeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unsubscribe", abstract: "Apply a personal unsubscribe token (from a newsletter link).")
    @OptionGroup var config: ConfigOptions
    @Argument(help: "The token.") var token: String
    func run() async throws { try NotYetAvailable.fail("unsubscribe", comesWith: "the unsubscribe issue") }
}

struct NewsletterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "newsletter", abstract: "Preview, send, hold, release or approve the next edition.",
        subcommands: [
            NewsletterPreviewCommand.self, NewsletterSendNowCommand.self, NewsletterHoldCommand.self,
            NewsletterReleaseCommand.self, NewsletterApproveCommand.self,
        ])
}

struct NewsletterPreviewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preview",
        abstract: "Compile the next edition from what is accepted now into DIR/edition.html and DIR/edition.txt; send nothing.")
    @OptionGroup var config: ConfigOptions
    @Option(help: ArgumentHelp("Where to write the preview.", valueName: "dir")) var out = "preview"
    func run() async throws { try NotYetAvailable.fail("newsletter preview", comesWith: "the newsletter issue") }
}

struct NewsletterSendNowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send-now", abstract: "Compile and queue an edition now.")
    @OptionGroup var config: ConfigOptions
    @Flag(help: "Deliver before exiting.") var wait = false
    func run() async throws { try NotYetAvailable.fail("newsletter send-now", comesWith: "the newsletter issue") }
}

struct NewsletterHoldCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "hold", abstract: "Hold the next edition back.")
    @OptionGroup var config: ConfigOptions
    func run() async throws { try NotYetAvailable.fail("newsletter hold", comesWith: "the newsletter issue") }
}

struct NewsletterReleaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "release", abstract: "Let a held edition go on schedule.")
    @OptionGroup var config: ConfigOptions
    func run() async throws { try NotYetAvailable.fail("newsletter release", comesWith: "the newsletter issue") }
}

struct NewsletterApproveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve", abstract: "Approve the next edition (when newsletter.approval is required).")
    @OptionGroup var config: ConfigOptions
    func run() async throws { try NotYetAvailable.fail("newsletter approve", comesWith: "the newsletter issue") }
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
