import Foundation
import GRDB
import Logging

/// The newsletter's editions: what falls due (`runDuePass`), and what editors and the admin do
/// (`hold`, `release`, `approve`, `sendNow`, `preview`, `nextEdition`).
///
/// Every step is one transaction, and a step that mails is the same transaction as its mail, so
/// two processes (the service and a command) can run passes at once: whichever commits second
/// finds the edition changed and does nothing.
public struct EditionDesk: Sendable {
    public let configuration: Configuration
    public let store: Store
    let schedule: NewsletterSchedule
    let renderer: EditionRenderer
    let mailer: EditionMailer
    let meetings: UpcomingMeeting.Query
    let logger: Logger
    /// Called after mail was queued, to wake the deliverer.
    let onQueued: @Sendable () -> Void

    /// How often a pass looks again for items when the preview time has come and none are accepted yet.
    public static let itemRecheck: TimeInterval = 5

    /// The desk of a config and store. `meetings` fills the "upcoming meetings" section.
    public init(
        configuration: Configuration, store: Store, meetings: @escaping UpcomingMeeting.Query = UpcomingMeeting.none,
        logger: Logger, onQueued: @escaping @Sendable () -> Void = {}
    ) throws {
        self.configuration = configuration
        self.store = store
        schedule = try NewsletterSchedule(configuration)
        renderer = EditionRenderer(configuration: configuration)
        mailer = EditionMailer(configuration: configuration)
        self.meetings = meetings
        self.logger = logger
        self.onQueued = onQueued
    }

    var outbox: Outbox { Outbox(store: store) }
    private var previewLead: TimeInterval { configuration.newsletter.previewLead.timeInterval }
    private var texts: EditionTexts { EditionTexts(configuration) }

    /// What one pass did, and when the next one is due.
    public struct Pass: Sendable {
        /// One line per step, for the log and `serve --once`.
        public var done: [String] = []
        /// When something next falls due; nil when only an editor can move the edition on.
        public var nextDue: Date?
    }

    // MARK: The schedule

    /// Does everything due at `now`: mails a preview and fixes the edition, sends it, or tells the
    /// editors why it does not go. Safe to run in several processes at once.
    @discardableResult
    public func runDuePass(now: Date) throws -> Pass {
        var pass = Pass()
        for _ in 0..<8 {
            let plan = EditionPlan.next(
                open: try store.openEdition(), latestScheduled: try store.latestScheduledEdition(), now: now,
                schedule: schedule, previewLead: previewLead, approvalRequired: configuration.newsletter.approval == .required)
            do {
                switch plan {
                case .waitUntil(let date):
                    pass.nextDue = date
                    return pass
                case .waitForEditor:
                    pass.nextDue = nil
                    return pass
                case .fix(let sendTime, let existing):
                    let content = try compile(sendTime: sendTime, now: now)
                    if !content.isEmpty {
                        let edition = try fix(content, sendTime: sendTime, existing: existing, manual: false, now: now, mailPreview: true)
                        pass.done.append("edition \(edition.id ?? 0) fixed with \(content.items.count) items; preview mailed to the editors")
                    } else if sendTime <= now {
                        try markEmpty(sendTime: sendTime, existing: existing, now: now)
                        pass.done.append("edition of \(Timestamp(timeZone: configuration.organisation.timeZone).readable(sendTime)) was empty; the editors were told")
                    } else {
                        if existing == nil { _ = try store.insertEdition(Edition(scheduledFor: sendTime, status: .planned)) }
                        pass.nextDue = min(sendTime, now.addingTimeInterval(Self.itemRecheck))
                        return pass
                    }
                case .send(let edition):
                    let queued = try send(edition, now: now)
                    pass.done.append("edition \(edition.id ?? 0) queued for \(queued.messages) members")
                case .tell(let edition, let what):
                    try tell(edition, what, now: now)
                    pass.done.append("edition \(edition.id ?? 0) is \(what == "held" ? "held" : "not approved"); the editors were told")
                }
            } catch EditionError.changedMeanwhile {
                continue
            } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                // Another process made the same edition's row first; plan again from what it wrote.
                continue
            }
        }
        return pass
    }

    /// The edition's content as it would be fixed now for `sendTime`.
    func compile(sendTime: Date, now: Date) throws -> EditionContent {
        EditionContent.compile(
            waiting: try store.waitingItems(), sections: configuration.newsletter.sections,
            // Readers get the edition at its send time: a meeting before that is news to no one.
            meetings: (try? meetings(max(now, sendTime))) ?? [], sendTime: sendTime, timeZone: configuration.organisation.timeZone)
    }

    /// Renders and saves the edition as fixed, takes its items, and mails the editors its preview: one commit.
    private func fix(
        _ content: EditionContent, sendTime: Date, existing: Edition?, manual: Bool, now: Date, mailPreview: Bool
    ) throws -> Edition {
        var edition = existing ?? Edition(scheduledFor: sendTime, status: .fixed, manual: manual)
        let rendered = try renderer.render(content, sendTime: sendTime)
        edition.status = .fixed
        edition.subject = rendered.subject
        edition.html = rendered.html
        edition.text = rendered.text
        edition.archiveHtml = rendered.archiveHTML
        edition.archiveFile = rendered.archiveFile
        edition.compiledAt = now
        if manual { edition.approvedAt = now }
        let preview = mailPreview ? try renderer.preview(content, sendTime: sendTime, held: edition.held) : nil
        try commit(at: now, mail: preview != nil) { db in
            try Edition.fix(db, &edition, items: content.items)
            return try preview.map { try mailer.previewSend($0, edition: edition, at: now) }
        }
        logger.info("edition fixed", metadata: ["edition": "\(edition.id ?? 0)", "items": "\(content.items.count)"])
        return edition
    }

    /// Queues the fixed edition for the members and marks it sent, in one transaction; then archives it.
    private func send(_ edition: Edition, now: Date) throws -> (bodyID: Int64, messages: Int) {
        guard let id = edition.id else { throw EditionError.changedMeanwhile }
        var published = edition
        var count = 0
        let bodyID = try outbox.enqueue(at: now, building: { db in
            published = try Edition.publish(db, id: id, at: now)
            return try mailer.membersSend(edition: published)
        }, adding: { db, row in
            count = try mailer.addMembers(db, edition: published, at: now, to: row)
        })
        logger.notice("edition queued", metadata: ["edition": "\(id)", "messages": "\(count)"])
        onQueued()
        archive(published)
        return (bodyID, count)
    }

    /// Writes the archive page and index; a failure is logged, never stops the send.
    private func archive(_ edition: Edition) {
        do {
            let name = try EditionArchive(configuration: configuration).write(
                edition, page: edition.archiveHtml ?? "", sent: try store.sentEditions())
            var saved = edition
            saved.archiveFile = name
            try store.saveEdition(saved)
        } catch {
            logger.error("\(error)", metadata: ["edition": "\(edition.id ?? 0)"])
        }
    }

    private func markEmpty(sendTime: Date, existing: Edition?, now: Date) throws {
        var edition = existing ?? Edition(scheduledFor: sendTime, status: .empty)
        edition.status = .empty
        edition.subject = renderer.subject(sendTime: sendTime)
        edition.told = "empty"
        edition.toldAt = now
        let note = texts.emptyNotice(edition.subject ?? "")
        try commit(at: now, mail: true) { db in
            if let id = edition.id {
                guard try Edition.fetchOne(db, key: id)?.status == .planned else { throw EditionError.changedMeanwhile }
                try edition.update(db)
            } else {
                try edition.insert(db)
            }
            return try mailer.noteSend(subject: note.subject, text: note.text, edition: edition, at: now)
        }
        logger.notice("edition empty: nothing was accepted for it, nothing sent", metadata: ["edition": "\(edition.id ?? 0)"])
    }

    private func tell(_ edition: Edition, _ what: String, now: Date) throws {
        var edition = edition
        let subject = edition.subject ?? ""
        let note = what == "held" ? texts.heldNotice(subject) : texts.unapprovedNotice(subject)
        try commit(at: now, mail: true) { db in
            try Edition.tell(db, &edition, what, at: now)
            return try mailer.noteSend(subject: note.subject, text: note.text, edition: edition, at: now)
        }
        logger.notice("edition not sent at its time: \(what)", metadata: ["edition": "\(edition.id ?? 0)"])
    }

    /// Runs `step` as one transaction, queueing the mail it returns (to the editors) in the same commit.
    private func commit(at now: Date, mail: Bool, _ step: (Database) throws -> OutboxSend?) throws {
        if mail, !configuration.newsletter.editors.isEmpty {
            var queued = false
            try outbox.enqueue(at: now) { db in
                guard let send = try step(db) else { throw EditionError.changedMeanwhile }
                queued = true
                return send
            }
            if queued { onQueued() }
        } else {
            try store.editionTransaction { db in _ = try step(db) }
        }
    }

    // MARK: The editors' commands

    /// Holds the next edition back; before its preview, the coming send time is held. Returns it.
    @discardableResult
    public func hold(now: Date) throws -> Edition {
        if var open = try store.openEdition() {
            if !open.held {
                open.held = true
                try store.saveEdition(open)
            }
            logger.notice("edition held", metadata: ["edition": "\(open.id ?? 0)"])
            return open
        }
        guard let sendTime = EditionPlan.upcomingSendTime(
            latestScheduled: try store.latestScheduledEdition(), now: now, schedule: schedule) else {
            throw EditionError.noNextEdition
        }
        let edition = try store.insertEdition(Edition(scheduledFor: sendTime, status: .planned, held: true))
        logger.notice("edition held", metadata: ["edition": "\(edition.id ?? 0)"])
        return edition
    }

    /// Lets a held edition go: at its send time, or at once when that has passed. Returns it.
    @discardableResult
    public func release(now: Date) throws -> Edition {
        guard var open = try store.openEdition(), open.held else { throw EditionError.notHeld }
        open.held = false
        try store.saveEdition(open)
        logger.notice("edition released", metadata: ["edition": "\(open.id ?? 0)"])
        try runDuePass(now: now)
        return open
    }

    /// Approves the fixed edition (the one whose preview the editors got); it goes at its send time,
    /// or at once when that has passed. Returns it.
    @discardableResult
    public func approve(now: Date) throws -> Edition {
        guard var open = try store.openEdition(), open.status == .fixed else {
            let sendTime = try store.openEdition()?.scheduledFor
                ?? EditionPlan.upcomingSendTime(latestScheduled: try store.latestScheduledEdition(), now: now, schedule: schedule)
            let previewAt = sendTime.map { Timestamp(timeZone: configuration.organisation.timeZone).readable($0.addingTimeInterval(-previewLead)) }
            throw EditionError.nothingToApprove(previewAt: previewAt ?? "never: the schedule has no next send time")
        }
        if open.approvedAt == nil {
            open.approvedAt = now
            try store.saveEdition(open)
        }
        logger.notice("edition approved", metadata: ["edition": "\(open.id ?? 0)"])
        try runDuePass(now: now)
        return open
    }

    /// Queues an edition now: the fixed one the editors previewed if there is one (held or not),
    /// else a new one from the items waiting. Returns it and the send's outbox id.
    public func sendNow(now: Date) throws -> (edition: Edition, sendID: Int64, messages: Int) {
        if let open = try store.openEdition(), open.status == .fixed {
            let queued = try send(open, now: now)
            return (open, queued.bodyID, queued.messages)
        }
        let content = try compile(sendTime: now, now: now)
        guard !content.isEmpty else { throw EditionError.nothingToSend }
        let edition = try fix(content, sendTime: now, existing: nil, manual: true, now: now, mailPreview: false)
        let queued = try send(edition, now: now)
        return (edition, queued.bodyID, queued.messages)
    }

    /// The next edition as a reader would get it (with a placeholder token), from what is fixed or
    /// accepted now. Sends nothing and changes nothing.
    public func preview(now: Date) throws -> (html: String, text: String, items: Int, fixed: Bool) {
        let token = texts.previewToken
        if let open = try store.openEdition(), open.status == .fixed, let id = open.id {
            return (EditionRenderer.personalised(open.html ?? "", token: token),
                    EditionRenderer.personalised(open.text ?? "", token: token), try store.items(ofEdition: id).count, true)
        }
        let sendTime = try store.openEdition()?.scheduledFor
            ?? EditionPlan.upcomingSendTime(latestScheduled: try store.latestScheduledEdition(), now: now, schedule: schedule) ?? now
        let content = try compile(sendTime: sendTime, now: now)
        let rendered = try renderer.render(content, sendTime: sendTime)
        return (EditionRenderer.personalised(rendered.html, token: token),
                EditionRenderer.personalised(rendered.text, token: token), content.items.count, false)
    }
}
