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
        for start in stride(from: plan.orders.startIndex, to: plan.orders.endIndex, by: MeetingPass.ordersPerTransaction) {
            var composed: [(order: MeetingPlanner.Order, send: OutboxSend)] = []
            for order in plan.orders[start..<min(start + MeetingPass.ordersPerTransaction, plan.orders.endIndex)] {
                do {
                    guard let meeting = try records[order.meetingID] ?? state.stored[order.meetingID] ?? meetings.meeting(order.meetingID)
                    else { continue }
                    let previous = try order.previousSequence.flatMap { try meetings.details(of: order.meetingID, atSequence: $0) }
                    composed.append((order, try composer.send(order, meeting: meeting, previous: previous, at: now, cache: &cache)))
                } catch {
                    log(order).error("cannot queue a meeting \(order.kind.rawValue): \(error)")
                }
            }
            let results: [Result<Int64, any Error>]
            do {
                results = try queue(composed, at: now)
            } catch {
                // The commit failed: none of these went in, and the next pass plans them again.
                results = composed.map { _ in .failure(error) }
            }
            for ((order, _), result) in zip(composed, results) {
                switch result {
                case .success:
                    report.queued[order.kind, default: 0] += 1
                    log(order).info("queued a meeting \(order.kind.rawValue)", metadata: ["sequence": "\(order.sequence)"])
                case .failure(is AlreadyQueued):
                    continue
                case .failure(let error):
                    log(order).error("cannot queue a meeting \(order.kind.rawValue): \(error)")
                }
            }
        }
        return report
    }

    /// Orders queued in one write transaction: their commits were a tenth of planning when each
    /// order had its own, and a batch holds the write lock for some tens of milliseconds.
    static let ordersPerTransaction = 128

    /// Queues composed orders in one transaction, each with its notice row in a savepoint of its
    /// own: an order recorded before, or one whose rows fail, queues nothing, and the others go.
    private func queue(_ composed: [(order: MeetingPlanner.Order, send: OutboxSend)], at now: Date) throws -> [Result<Int64, any Error>] {
        guard !composed.isEmpty else { return [] }
        let mail = configuration.mail
        return try outbox.enqueueEach(composed, at: now) { db, item in
            // Recorded before: a rollback keeps the outbox as it was.
            guard try MeetingStore.record(item.order, in: db, at: now) else { throw AlreadyQueued() }
            guard mail.bounces != nil else { return item.send }
            // VERP-tagged with the member's token, so that a bounce of the invitation marks the
            // member as a newsletter's would.
            var tagged = item.send
            let token = try SubscriberToken.token(db, for: item.order.emailKey)
            for index in tagged.messages.indices {
                tagged.messages[index].envelopeSender = BounceAddress.envelopeSender(token: token, mail: mail)
            }
            return tagged
        }
    }

    /// The pass's logger with the order's meeting and recipient.
    private func log(_ order: MeetingPlanner.Order) -> Logger {
        var logger = logger
        logger[metadataKey: "meeting"] = "\(order.meetingID)"
        logger[metadataKey: "recipient"] = "\(order.email)"
        return logger
    }

    private struct AlreadyQueued: Error {}
}
