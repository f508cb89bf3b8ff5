import Foundation
import GRDB
import ICalendar
import Logging

/// One planning pass: reads the config's meetings and the store, lets `MeetingPlanner` decide, writes
/// the meetings and queues each message together with its notice row. Nothing is sent here; the
/// outbox delivers.
public struct MeetingPass: Sendable {
    public let configuration: Configuration
    public let meetings: MeetingStore
    public let outbox: Outbox
    public let logger: Logger

    public init(configuration: Configuration, store: Store, logger: Logger) {
        self.configuration = configuration
        meetings = MeetingStore(store: store)
        outbox = Outbox(store: store)
        self.logger = logger
    }

    /// What a pass did.
    public struct Report: Sendable, Equatable {
        /// Messages queued, by kind.
        public var queued: [NoticeKind: Int] = [:]
        /// When the next invitation or reminder falls due, if any is ahead.
        public var nextDue: Date?
        /// How many messages in all.
        public var total: Int { queued.values.reduce(0, +) }
    }

    /// Plans and queues everything due at `now`. A message that cannot be written (a template error,
    /// an address a calendar cannot carry) is logged and left for the next pass; the others go.
    @discardableResult
    public func run(now: Date) throws -> Report {
        let planned = MeetingCatalog(configuration: configuration).meetings(at: now)
        var networks: [String: [String]] = [:]
        var leads: [String: MeetingPlanner.Leads] = [:]
        for forum in configuration.forums {
            networks[forum.id] = forum.invitees
            leads[forum.id] = .init(invite: forum.inviteLead.timeInterval, reminder: forum.reminderLead.timeInterval)
        }
        let domain = configuration.mail.from.domain.lowercased()
        let state = try meetings.planningState(
            planned: planned, inviteeNetworks: networks, leads: leads, uidDomain: domain)
        let plan = MeetingPlanner().plan(state, now: now)
        try meetings.apply(plan, at: now)

        var report = Report(nextDue: plan.nextDue)
        let composer = MeetingComposer(configuration: configuration)
        var cache = MeetingComposer.PassCache()
        var records: [String: MeetingRecord] = [:]
        for record in plan.records { records[record.id] = record }
        for order in plan.orders {
            var logger = logger
            logger[metadataKey: "meeting"] = "\(order.meetingID)"
            logger[metadataKey: "recipient"] = "\(order.email)"
            do {
                guard let meeting = try records[order.meetingID] ?? state.stored[order.meetingID] ?? meetings.meeting(order.meetingID)
                else { continue }
                let previous = try order.previousSequence.flatMap { try meetings.details(of: order.meetingID, atSequence: $0) }
                let send = try composer.send(order, meeting: meeting, previous: previous, at: now, cache: &cache)
                var recorded = false
                let mail = configuration.mail
                try outbox.enqueue(at: now) { db in
                    recorded = try MeetingStore.record(order, in: db, at: now)
                    // Recorded before: a rollback keeps the outbox as it was.
                    if !recorded { throw AlreadyQueued() }
                    guard mail.bounces != nil else { return send }
                    // VERP-tagged with the member's token, so that a bounce of the invitation
                    // marks the member as a newsletter's would.
                    var tagged = send
                    let token = try SubscriberToken.token(db, for: order.emailKey)
                    for index in tagged.messages.indices {
                        tagged.messages[index].envelopeSender = BounceAddress.envelopeSender(token: token, mail: mail)
                    }
                    return tagged
                }
                report.queued[order.kind, default: 0] += 1
                logger.info("queued a meeting \(order.kind.rawValue)", metadata: ["sequence": "\(order.sequence)"])
            } catch is AlreadyQueued {
                continue
            } catch {
                logger.error("cannot queue a meeting \(order.kind.rawValue): \(error)")
            }
        }
        return report
    }

    private struct AlreadyQueued: Error {}
}
