import Foundation
import Logging
import ServiceLifecycle

/// What `serve` runs for what comes back: the one-click unsubscribe endpoint and the readers of the
/// unsubscribe and bounce Maildirs, each only when the config asks for it.
public struct ReturnServices: Sendable {
    /// The one-click endpoint, when `newsletter.unsubscribe.listen` is set.
    public let endpoint: UnsubscribeEndpoint?
    /// The reader of `newsletter.unsubscribe.mailbox`, when set.
    public let unsubscribeMail: MaildirReader?
    /// The reader of `mail.bounces.mailbox`, when set.
    public let bounces: MaildirReader?

    /// The services `configuration` asks for; none when it sets neither `listen` nor a mailbox.
    public init(configuration: Configuration, store: Store, logger: Logger) {
        endpoint = UnsubscribeEndpoint(configuration: configuration, store: store, logger: logger)
        unsubscribeMail = MaildirReader.unsubscribeMail(configuration: configuration, store: store, logger: logger)
        bounces = MaildirReader.bounces(configuration: configuration, store: store, logger: logger)
    }

    /// The long-running services, for the `ServiceGroup` of `serve`.
    public var services: [any Service] {
        [endpoint as (any Service)?, unsubscribeMail, bounces].compactMap { $0 }
    }

    /// One pass over each Maildir, for `serve --once` (the endpoint has nothing due: it only answers requests).
    @discardableResult
    public func runDuePasses(now: Date) -> [ReturnedMailPass] {
        [unsubscribeMail, bounces].compactMap { $0?.runDuePass(now: now) }
    }
}
