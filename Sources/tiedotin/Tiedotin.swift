import ArgumentParser

/// The `tiedotin` command: the service and the admin's tools.
@main
struct Tiedotin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tiedotin",
        abstract: "Meeting invitations, the newsletter and their delivery for organisation and parish cooperation.",
        discussion: """
            Every subcommand reads the config from --config PATH, else $TIEDOTIN_CONFIG, \
            else /etc/tiedotin/tiedotin.yaml.
            Exit status: 0 done; 1 wrong input or config, or another process holds the lock; \
            3 done but some messages failed or wait for a retry; 64 usage.
            """,
        subcommands: [
            ServeCommand.self,
            CheckConfigCommand.self,
            StatusCommand.self,
            MembersCommand.self,
            UnsubscribeCommand.self,
            IntakeCommand.self,
            NewsletterCommand.self,
            MeetingsCommand.self,
            AnnounceCommand.self,
            OutboxCommand.self,
        ]
    )
}
