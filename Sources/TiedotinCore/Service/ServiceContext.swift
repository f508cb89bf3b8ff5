import Foundation
import Logging

/// What every job of the service is built from. One value, made by `ServiceAssembly`; a job keeps
/// what it needs and reads nothing else (no environment, no globals).
public struct ServiceContext: Sendable {
    /// The config in force; replaced on a good reload (SIGHUP).
    public let configuration: LiveConfiguration
    public let store: Store
    public let clock: any WallClock
    public let logger: Logger
    /// The process environment, for `Secrets` (systemd's `$CREDENTIALS_DIRECTORY`).
    public let environment: [String: String]
    /// Signal it after queueing mail: delivery then looks at the outbox at once.
    public let mailQueued: WakeSignal
    /// Signal it when something `status` shows has changed: systemd's `STATUS=` line follows.
    public let statusChanged: WakeSignal
    /// Intake signals it after accepting an item: the edition scheduler looks again at once.
    public let itemAccepted: WakeSignal

    /// A context; the signals are fresh unless the caller shares its own.
    public init(
        configuration: LiveConfiguration, store: Store, clock: any WallClock, logger: Logger,
        environment: [String: String], mailQueued: WakeSignal = WakeSignal(), statusChanged: WakeSignal = WakeSignal(),
        itemAccepted: WakeSignal = WakeSignal()
    ) {
        self.configuration = configuration
        self.store = store
        self.clock = clock
        self.logger = logger
        self.environment = environment
        self.mailQueued = mailQueued
        self.statusChanged = statusChanged
        self.itemAccepted = itemAccepted
    }

    public var outbox: Outbox { Outbox(store: store) }
}
