import Foundation

/// What the newsletter should do next, decided from the open edition, the latest scheduled one,
/// the schedule and the time alone: pure, so every case can be tested at any date.
enum EditionPlan: Equatable {
    /// Nothing is due before this moment.
    case waitUntil(Date)
    /// The preview of the edition sent at `sendTime` is due (or overdue): fix it from the waiting items.
    case fix(sendTime: Date, existing: Edition?)
    /// The fixed edition's send time has come and nothing stops it.
    case send(Edition)
    /// The send time came but the edition may not go; tell the editors why (`held` or `unapproved`).
    case tell(Edition, String)
    /// Waiting for an editor (release or approve), who has been told; or no next send time.
    case waitForEditor

    /// The step for `now`. A scheduled edition whose send time passed while the service was down
    /// goes out late, once; send times missed entirely fold into the latest of them, so a long
    /// outage sends one edition, not one per missed date. A fresh installation starts with the
    /// first send time after `now`.
    static func next(
        open: Edition?, latestScheduled: Edition?, now: Date, schedule: NewsletterSchedule, previewLead: TimeInterval,
        approvalRequired: Bool
    ) -> EditionPlan {
        if let open {
            switch open.status {
            case .planned:
                let previewAt = open.scheduledFor.addingTimeInterval(-previewLead)
                return previewAt <= now ? .fix(sendTime: open.scheduledFor, existing: open) : .waitUntil(previewAt)
            case .fixed:
                if open.scheduledFor > now { return .waitUntil(open.scheduledFor) }
                if open.held { return open.told == "held" ? .waitForEditor : .tell(open, "held") }
                if approvalRequired, open.approvedAt == nil, !open.manual {
                    return open.told == "unapproved" ? .waitForEditor : .tell(open, "unapproved")
                }
                return .send(open)
            case .sent, .empty:
                break
            }
        }
        guard let sendTime = upcomingSendTime(latestScheduled: latestScheduled, now: now, schedule: schedule) else {
            return .waitForEditor
        }
        let previewAt = sendTime.addingTimeInterval(-previewLead)
        return previewAt <= now ? .fix(sendTime: sendTime, existing: nil) : .waitUntil(previewAt)
    }

    /// The send time of the next scheduled edition without a row: the first after the latest
    /// scheduled edition (after `now` on a fresh installation), or the latest of those already missed.
    static func upcomingSendTime(latestScheduled: Edition?, now: Date, schedule: NewsletterSchedule) -> Date? {
        guard var sendTime = schedule.nextEdition(after: latestScheduled?.scheduledFor ?? now) else { return nil }
        while sendTime <= now, let later = schedule.nextEdition(after: sendTime), later <= now {
            sendTime = later
        }
        return sendTime
    }
}
