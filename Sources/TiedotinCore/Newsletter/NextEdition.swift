import Foundation

/// The next edition as `tiedotin status` shows it: when it goes, in what state, with which items.
public struct NextEdition: Sendable {
    /// When it is to be sent (for a send time that passed, it waits for an editor).
    public var sendTime: Date
    /// When its preview is (or was) mailed and its content fixed.
    public var previewTime: Date
    /// `collecting`, `fixed`, `approved`, `held`, `waiting for approval`.
    public var state: String
    /// The items it holds (when fixed) or would hold (when compiled now), in the edition's order.
    public var items: [NewsletterItem]

    /// `status --json`'s `edition` object.
    public func json(_ time: Timestamp) -> [String: Any] {
        [
            "send_time": time.iso8601(sendTime), "preview_time": time.iso8601(previewTime), "state": state,
            "items": items.map { ["title": $0.title, "organisation": $0.organisation, "section": $0.section] },
        ]
    }

    /// The lines `status` prints.
    public func lines(_ time: Timestamp) -> [String] {
        var lines = ["  next edition: \(time.readable(sendTime)) (\(state); preview \(time.readable(previewTime)))"]
        lines += items.map { "    - \($0.title) (\($0.organisation), \($0.section))" }
        if items.isEmpty { lines.append("    no items yet") }
        return lines
    }
}

extension EditionDesk {
    /// The edition that goes next, with its state and items; nil when the schedule has none.
    public func nextEdition(now: Date) throws -> NextEdition? {
        let lead = configuration.newsletter.previewLead.timeInterval
        let approval = configuration.newsletter.approval == .required
        if let open = try store.openEdition() {
            var state: String
            let items: [NewsletterItem]
            if open.status == .fixed, let id = open.id {
                state = open.approvedAt != nil && approval ? "approved" : "fixed"
                if approval, open.approvedAt == nil, !open.manual { state = "waiting for approval" }
                items = try store.items(ofEdition: id)
            } else {
                state = "collecting"
                items = try compile(sendTime: open.scheduledFor, now: now).items
            }
            if open.held { state = "held" }
            return NextEdition(sendTime: open.scheduledFor, previewTime: open.scheduledFor.addingTimeInterval(-lead), state: state, items: items)
        }
        guard let sendTime = EditionPlan.upcomingSendTime(
            latestScheduled: try store.latestScheduledEdition(), now: now, schedule: schedule) else { return nil }
        return NextEdition(
            sendTime: sendTime, previewTime: sendTime.addingTimeInterval(-lead), state: "collecting",
            items: try compile(sendTime: sendTime, now: now).items)
    }
}
