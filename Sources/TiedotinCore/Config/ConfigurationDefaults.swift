import Foundation

/// The value every optional config key takes when the file leaves it out (as in DESIGN.md and the
/// commented `Config/tiedotin.yaml`). Kept in one place so the loader and the documentation agree.
public enum ConfigurationDefaults {
    public static let timeZone = "Europe/Helsinki"
    public static let language = Configuration.Language.finnish
    public static let templates = "/usr/share/tiedotin/templates"
    public static let archive = "/var/lib/tiedotin/archive"
    public static let maildir = "/var/lib/tiedotin/maildir"
    public static let transport = Configuration.Transport.smtp
    /// The local MTA, as Unix mail programs expect.
    public static let smtpURL = "smtp://localhost:25"

    /// `off` for a relay on the loopback address (the local MTA), else `required`.
    public static func startTLS(for url: URL?) -> Configuration.StartTLSPolicy {
        LoopbackHost.contains(url?.host) ? .off : .required
    }

    /// `password` when a username is set, else `none`.
    public static func authentication(username: Bool) -> Configuration.Authentication {
        username ? .password : .none
    }

    public static let passwordFile = "/etc/tiedotin/smtp-password"
    public static let clientSecretFile = "/etc/tiedotin/oauth-client-secret"
    public static let smtpTimeout = Duration.seconds(30)
    public static let ratePerMinute = 30
    public static let ratePerDay = 10_000
    public static let connections = 1
    public static let retryFirst = Duration.seconds(60)
    public static let retryMaxInterval = Duration.seconds(3_600)
    public static let retryGiveUpAfter = Duration.seconds(3 * 86_400)
    public static let networkKind = Configuration.Network.Kind.other
    public static let newsletterTitle = "Järjestö- ja seurakuntatiedote"
    public static let newsletterSchedule = "FREQ=MONTHLY;BYDAY=1TU;BYHOUR=9;BYMINUTE=0"
    public static let previewLead = Duration.seconds(2 * 86_400)
    public static let approval = Configuration.Newsletter.Approval.none
    /// The list id when none is given: `uutiskirje.` and the domain of `mail.from`.
    public static let listIDPrefix = "uutiskirje."
    public static let sections = [Configuration.Newsletter.Section(id: "koulutukset", title: "Koulutukset ja tapahtumat")]
    public static let meetingDuration = Duration.seconds(2 * 3_600)
    public static let inviteLead = Duration.seconds(21 * 86_400)
    public static let reminderLead = Duration.seconds(2 * 86_400)
    public static let settle = Duration.seconds(5)
    public static let maxItemSize = 1 << 20
    public static let acknowledge = false
    public static let logLevel = "info"
    /// The levels `logging.level` (and `serve --log-level`) accept, most detailed first.
    public static let logLevels = ["trace", "debug", "info", "notice", "warning", "error"]
}
