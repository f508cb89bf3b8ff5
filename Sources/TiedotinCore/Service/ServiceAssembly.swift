import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// `tiedotin serve`, assembled: every job of the service built from the config into one
/// `ServiceGroup`, run until SIGTERM or SIGINT (`serve`), or once each (`serve --once`).
///
/// A job plugs in as a `Factory` (see `standardServices`): a function from the `ServiceContext`
/// to a `ScheduledService`. The order of the list is the order of `--once` (planning before
/// delivery, so that what a pass queues goes out in the same run).
public struct ServiceAssembly: Sendable {
    /// Builds one job from the context; throws when the job cannot run with this config.
    public typealias Factory = @Sendable (ServiceContext) throws -> any ScheduledService

    /// How `serve` stops and where its files are.
    public struct Options: Sendable {
        /// systemd's `TimeoutStopSec` (the unit's 90 s unless told otherwise).
        public var stopTimeout: Duration
        /// How long before `stopTimeout` the service gives up waiting for the relay.
        public var stopMargin: Duration

        /// The unit's 90 s and a 10 s margin unless told otherwise.
        public init(stopTimeout: Duration = .seconds(90), stopMargin: Duration = .seconds(10)) {
            self.stopTimeout = stopTimeout
            self.stopMargin = stopMargin
        }
    }

    /// The jobs of the service, in pass order: intake, what came back (unsubscribes, bounces)
    /// and planning first (what a pass queues goes out in the same `--once`), delivery last.
    public static let standardServices: [Factory] = [
        { IntakeJob(context: $0) },
        { ReturnsJob(context: $0) },
        { MeetingsJob(context: $0) },
        { try EditionsJob(context: $0) },
        { try DeliveryService(context: $0) },
    ]

    public let context: ServiceContext
    public let configurationPath: String
    public let options: Options
    /// The checks a reload runs (those of `check-config` without `--online`).
    public let check: ConfigurationCheck
    private let factories: [Factory]

    /// Assembles the service for `configuration` (read from `configurationPath`, which a reload
    /// reads again); `factories` are its jobs in pass order.
    public init(
        configuration: Configuration, configurationPath: String, store: Store, logger: Logger,
        environment: [String: String], clock: any WallClock = SystemClock(), options: Options = Options(),
        check: ConfigurationCheck = ConfigurationCheck(), factories: [Factory] = ServiceAssembly.standardServices
    ) {
        context = ServiceContext(
            configuration: LiveConfiguration(configuration), store: store, clock: clock, logger: logger,
            environment: environment)
        self.configurationPath = configurationPath
        self.options = options
        self.check = check
        self.factories = factories
    }

    /// `serve --once`: takes the delivery lock, runs one pass of every job in order, and returns
    /// what they did together (`isClean`: exit 0, else 3).
    public func runOnce() async throws -> PassResult {
        let lock = try DeliveryLock(path: context.configuration.current.paths.lockFile)
        defer { lock.release() }
        var total = PassResult()
        for service in try factories.map({ try $0(context) }) {
            let result = try await service.runDuePass(now: context.clock.now)
            context.logger.info("pass done", metadata: [
                "service": "\(service.name)", "done": "\(result.done)", "unfinished": "\(result.unfinished)",
            ])
            for problem in result.problems {
                context.logger.error("pass problem", metadata: ["service": "\(service.name)", "problem": "\(problem)"])
            }
            total.done += result.done
            total.unfinished += result.unfinished
            total.problems += result.problems
        }
        return total
    }

    /// `serve`: takes the delivery lock, listens for wakes, tells systemd it is ready, and runs
    /// every job until SIGTERM or SIGINT. Returns when the jobs have stopped, or when the stop
    /// deadline passes with a transaction still waiting for the relay (its row goes again later).
    public func serve() async throws {
        let configuration = context.configuration.current
        let lock = try DeliveryLock(path: configuration.paths.lockFile)
        defer { lock.release() }
        let services = try factories.map { try $0(context) }
        let wake: WakeSocket?
        do {
            let signal = context.mailQueued
            wake = try WakeSocket(path: configuration.paths.wakeSocket, database: configuration.paths.database) { signal.signal() }
        } catch {
            context.logger.warning("commands cannot wake the service; queued mail waits for its next look at the outbox", metadata: [
                "problem": "\(error)",
            ])
            wake = nil
        }
        defer { wake?.close() }

        let deadline = StopDeadline(stopTimeout: options.stopTimeout, margin: options.stopMargin)
        let supervisor = ServiceSupervisor(
            context: context, configurationPath: configurationPath, check: check,
            notifier: SystemdNotifier(environment: context.environment), deadline: deadline)
        // Each named: without a name ServiceLifecycle names a service by printing the whole value,
        // which here holds the process's environment (a proxy's password in `https_proxy`, say)
        // and went into every one of its debug lines; it was also a tenth of the time to READY=1.
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: services.map { .init(service: $0, serviceName: $0.name) } + [.init(service: supervisor, serviceName: "supervisor")],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: context.logger))
        let running = Task { try await group.run() }
        // Whichever comes first: the jobs stop, or the deadline passes with a job still blocked
        // on the relay. (A task group would wait for the blocked job, which is the point to avoid.)
        let first = Mutex<CheckedContinuation<Bool, Never>?>(nil)
        let timer = Mutex<Task<Void, Never>?>(nil)
        let finished = await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            first.withLock { $0 = continuation }
            let resume: @Sendable (Bool) -> Void = { value in first.withLock { $0.take() }?.resume(returning: value) }
            Task {
                _ = await running.result
                resume(true)
            }
            timer.withLock {
                $0 = Task {
                    await deadline.passed()
                    if !Task.isCancelled { resume(false) }
                }
            }
        }
        timer.withLock { $0?.cancel() }
        if finished {
            try await running.value
            context.logger.notice("tiedotin stopped")
        } else {
            context.logger.warning("stop deadline reached with a message waiting for the relay's answer; dropping the connection, the message goes again at the next start", metadata: [
                "limit": "\(deadline.limit)",
            ])
        }
    }
}
