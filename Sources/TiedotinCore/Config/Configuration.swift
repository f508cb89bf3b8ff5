import Foundation
import MIME

/// The whole configuration of one installation, as read from `tiedotin.yaml` and validated.
///
/// Everything the service does is decided by this value; nothing deeper down reads the
/// environment or the file again. `ConfigurationLoader` makes it; a reload makes a new one.
public struct Configuration: Sendable, Equatable {
    /// The file this configuration was read from (used in messages for the admin).
    public var file: String
    public var organisation: Organisation
    public var paths: Paths
    public var mail: Mail
    public var networks: [Network]
    public var newsletter: Newsletter
    public var forums: [Forum]
    public var intake: Intake
    public var logging: Logging

    public init(
        file: String, organisation: Organisation, paths: Paths, mail: Mail, networks: [Network],
        newsletter: Newsletter, forums: [Forum], intake: Intake, logging: Logging
    ) {
        self.file = file
        self.organisation = organisation
        self.paths = paths
        self.mail = mail
        self.networks = networks
        self.newsletter = newsletter
        self.forums = forums
        self.intake = intake
        self.logging = logging
    }

    /// The network with this id, if configured.
    public func network(_ id: String) -> Network? {
        networks.first { $0.id == id }
    }
}

extension Configuration {
    /// `organisation`: who sends, in which time zone and language.
    public struct Organisation: Sendable, Equatable {
        public var name: String
        /// IANA time-zone name; every schedule and meeting time is read in it.
        public var timeZone: TimeZone
        public var language: Language

        public init(name: String, timeZone: TimeZone, language: Language) {
            self.name = name
            self.timeZone = timeZone
            self.language = language
        }
    }

    /// The language of the texts members and submitters read.
    public enum Language: String, Sendable, Equatable, CaseIterable {
        case finnish = "fi"
        case swedish = "sv"
    }

    /// `paths`: where the service keeps its files. All absolute after loading.
    public struct Paths: Sendable, Equatable {
        public var database: String
        public var dropFolder: String
        public var templates: String
        public var archive: String

        public init(database: String, dropFolder: String, templates: String, archive: String) {
            self.database = database
            self.dropFolder = dropFolder
            self.templates = templates
            self.archive = archive
        }

        /// The delivery lock: the file next to the database named `DATABASE.lock`.
        public var lockFile: String { database + ".lock" }
        /// The socket a running `serve` listens on for "mail was queued" (`WakeSocket`).
        public var wakeSocket: String { database + ".wake" }
    }

    /// `mail`: how messages are addressed and how they leave.
    public struct Mail: Sendable, Equatable {
        public var from: EmailAddress
        public var replyTo: EmailAddress?
        public var transport: Transport
        /// The Maildir written to when `transport` is `maildir`.
        public var maildir: String
        public var smtp: SMTP
        public var bounces: Bounces?
        public var rate: Rate
        public var connections: Int
        public var retry: Retry

        public init(
            from: EmailAddress, replyTo: EmailAddress?, transport: Transport, maildir: String, smtp: SMTP,
            bounces: Bounces?, rate: Rate, connections: Int, retry: Retry
        ) {
            self.from = from
            self.replyTo = replyTo
            self.transport = transport
            self.maildir = maildir
            self.smtp = smtp
            self.bounces = bounces
            self.rate = rate
            self.connections = connections
            self.retry = retry
        }
    }

    /// `mail.transport`: how bytes leave the machine.
    public enum Transport: String, Sendable, Equatable, CaseIterable {
        case smtp
        case maildir
    }

    /// `mail.smtp`: the relay.
    public struct SMTP: Sendable, Equatable {
        /// `smtp://host:port` or `smtps://host:port`.
        public var url: URL
        public var startTLS: StartTLSPolicy
        public var auth: Authentication
        public var username: String?
        /// Where the password is read from; under systemd `$CREDENTIALS_DIRECTORY/smtp-password` wins.
        public var passwordFile: String?
        public var timeout: Duration
        public var caFile: String?
        public var oauth: OAuth?

        public init(
            url: URL, startTLS: StartTLSPolicy, auth: Authentication, username: String?, passwordFile: String?,
            timeout: Duration, caFile: String?, oauth: OAuth?
        ) {
            self.url = url
            self.startTLS = startTLS
            self.auth = auth
            self.username = username
            self.passwordFile = passwordFile
            self.timeout = timeout
            self.caFile = caFile
            self.oauth = oauth
        }
    }

    /// `mail.smtp.starttls`.
    public enum StartTLSPolicy: String, Sendable, Equatable, CaseIterable {
        case required
        case opportunistic
        case off
    }

    /// `mail.smtp.auth`.
    public enum Authentication: String, Sendable, Equatable, CaseIterable {
        case password
        case xoauth2
        case none
    }

    /// `mail.smtp.oauth`: client-credentials flow for XOAUTH2.
    public struct OAuth: Sendable, Equatable {
        public var tokenURL: URL
        public var clientID: String
        public var clientSecretFile: String?
        public var scope: String

        public init(tokenURL: URL, clientID: String, clientSecretFile: String?, scope: String) {
            self.tokenURL = tokenURL
            self.clientID = clientID
            self.clientSecretFile = clientSecretFile
            self.scope = scope
        }
    }

    /// `mail.bounces`: VERP envelope sender and the Maildir bounces arrive in.
    public struct Bounces: Sendable, Equatable {
        public var address: EmailAddress
        public var mailbox: String?

        public init(address: EmailAddress, mailbox: String?) {
            self.address = address
            self.mailbox = mailbox
        }
    }

    /// `mail.rate`: caps on messages handed to the relay. `0` means no cap.
    public struct Rate: Sendable, Equatable {
        public var perMinute: Int
        public var perDay: Int

        public init(perMinute: Int, perDay: Int) {
            self.perMinute = perMinute
            self.perDay = perDay
        }
    }

    /// `mail.retry`: exponential backoff for temporary failures.
    public struct Retry: Sendable, Equatable {
        public var first: Duration
        public var maxInterval: Duration
        public var giveUpAfter: Duration

        public init(first: Duration, maxInterval: Duration, giveUpAfter: Duration) {
            self.first = first
            self.maxInterval = maxInterval
            self.giveUpAfter = giveUpAfter
        }
    }

    /// One entry of `networks`: a member list.
    public struct Network: Sendable, Equatable {
        public var id: String
        public var name: String
        public var kind: Kind

        public init(id: String, name: String, kind: Kind) {
            self.id = id
            self.name = name
            self.kind = kind
        }

        /// `networks[].kind`.
        public enum Kind: String, Sendable, Equatable, CaseIterable {
            case serviceArea = "service-area"
            case thematic
            case forum
            case parish
            case other
        }
    }

    /// `newsletter`: the compiled edition.
    public struct Newsletter: Sendable, Equatable {
        public var title: String
        /// RFC 5545 RRULE; BYHOUR/BYMINUTE give the send time.
        public var schedule: String
        /// `nil` means every network (`all`).
        public var recipients: [String]?
        public var editors: [EmailAddress]
        public var previewLead: Duration
        public var approval: Approval
        public var listID: String?
        public var archiveURL: URL?
        public var unsubscribe: Unsubscribe
        public var sections: [Section]

        public init(
            title: String, schedule: String, recipients: [String]?, editors: [EmailAddress], previewLead: Duration,
            approval: Approval, listID: String?, archiveURL: URL?, unsubscribe: Unsubscribe, sections: [Section]
        ) {
            self.title = title
            self.schedule = schedule
            self.recipients = recipients
            self.editors = editors
            self.previewLead = previewLead
            self.approval = approval
            self.listID = listID
            self.archiveURL = archiveURL
            self.unsubscribe = unsubscribe
            self.sections = sections
        }

        /// `newsletter.approval`.
        public enum Approval: String, Sendable, Equatable, CaseIterable {
            case none
            case required
        }

        /// `newsletter.unsubscribe`.
        public struct Unsubscribe: Sendable, Equatable {
            public var mailto: EmailAddress?
            public var url: URL?
            /// `host:port` to serve the one-click endpoint on.
            public var listen: String?
            public var mailbox: String?

            public init(mailto: EmailAddress?, url: URL?, listen: String?, mailbox: String?) {
                self.mailto = mailto
                self.url = url
                self.listen = listen
                self.mailbox = mailbox
            }
        }

        /// `newsletter.sections[]`.
        public struct Section: Sendable, Equatable {
            public var id: String
            public var title: String

            public init(id: String, title: String) {
                self.id = id
                self.title = title
            }
        }
    }

    /// One entry of `forums`: a group that meets and is invited.
    public struct Forum: Sendable, Equatable {
        public var id: String
        public var name: String
        public var invitees: [String]
        public var organizer: EmailAddress
        public var location: String?
        public var url: URL?
        public var duration: Duration
        public var inviteLead: Duration
        public var reminderLead: Duration
        public var meetings: [Meeting]
        public var recurrence: Recurrence?

        public init(
            id: String, name: String, invitees: [String], organizer: EmailAddress, location: String?, url: URL?,
            duration: Duration, inviteLead: Duration, reminderLead: Duration, meetings: [Meeting],
            recurrence: Recurrence?
        ) {
            self.id = id
            self.name = name
            self.invitees = invitees
            self.organizer = organizer
            self.location = location
            self.url = url
            self.duration = duration
            self.inviteLead = inviteLead
            self.reminderLead = reminderLead
            self.meetings = meetings
            self.recurrence = recurrence
        }

        /// `forums[].meetings[]`: one listed meeting. Times are local to `organisation.timezone`.
        public struct Meeting: Sendable, Equatable {
            public var id: String?
            public var start: LocalDateTime
            public var agenda: String?
            public var location: String?
            public var url: URL?
            public var duration: Duration?
            public var cancelled: Bool

            public init(
                id: String?, start: LocalDateTime, agenda: String?, location: String?, url: URL?,
                duration: Duration?, cancelled: Bool
            ) {
                self.id = id
                self.start = start
                self.agenda = agenda
                self.location = location
                self.url = url
                self.duration = duration
                self.cancelled = cancelled
            }
        }

        /// `forums[].recurrence`.
        public struct Recurrence: Sendable, Equatable {
            public var rule: String
            public var start: LocalDateTime
            public var except: [LocalDateTime]

            public init(rule: String, start: LocalDateTime, except: [LocalDateTime]) {
                self.rule = rule
                self.start = start
                self.except = except
            }
        }
    }

    /// `intake`: the drop folder's rules.
    public struct Intake: Sendable, Equatable {
        public var settle: Duration
        public var maxItemSize: Int
        public var acknowledge: Bool

        public init(settle: Duration, maxItemSize: Int, acknowledge: Bool) {
            self.settle = settle
            self.maxItemSize = maxItemSize
            self.acknowledge = acknowledge
        }
    }

    /// `logging`.
    public struct Logging: Sendable, Equatable {
        /// One of trace, debug, info, notice, warning, error.
        public var level: String

        public init(level: String) {
            self.level = level
        }
    }
}

/// A wall-clock date and time with no zone: what the admin writes in the config.
/// A date alone (`2027-07-14`) has `hour` and `minute` nil.
public struct LocalDateTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int
    public var hour: Int?
    public var minute: Int?

    public init(year: Int, month: Int, day: Int, hour: Int? = nil, minute: Int? = nil) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
    }

    public static func < (lhs: LocalDateTime, rhs: LocalDateTime) -> Bool {
        (lhs.year, lhs.month, lhs.day, lhs.hour ?? -1, lhs.minute ?? -1)
            < (rhs.year, rhs.month, rhs.day, rhs.hour ?? -1, rhs.minute ?? -1)
    }

    public var description: String {
        let date = String(format: "%04d-%02d-%02d", year, month, day)
        guard let hour else { return date }
        return date + String(format: "T%02d:%02d", hour, minute ?? 0)
    }
}
