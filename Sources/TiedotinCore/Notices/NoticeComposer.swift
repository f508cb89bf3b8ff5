import Foundation
import GRDB
import MIME

/// Turns notices into outbox sends: the HTML and text body once, a header block per recipient.
public struct NoticeComposer: Sendable {
    public let configuration: Configuration
    public let templates: TemplateLibrary

    public init(configuration: Configuration) {
        self.configuration = configuration
        templates = TemplateLibrary(folder: configuration.paths.templates)
    }

    /// Queues the notice for every unique member of its networks who has not unsubscribed, in one
    /// transaction: all of it or none. Returns the send's id, how many messages were queued, and
    /// the members left out because their entry cannot be mailed (`UnmailableMember`).
    public func queue(_ announcement: Announcement, in outbox: Outbox, at now: Date) throws
        -> (sendID: Int64, messages: Int, leftOut: [UnmailableMember]) {
        for network in announcement.networks where configuration.network(network) == nil {
            throw NoticeError.unknownNetwork(network, known: configuration.networks.map(\.id))
        }
        if announcement.subject.contains(where: { $0 == "\r" || $0 == "\n" }) {
            throw NoticeError.lineBreakInSubject
        }
        let body = try renderBody(announcement)
        let list = ListHeaders(configuration: configuration)
        let shared = try list.shared(subject: announcement.subject, at: now)
        var count = 0
        var leftOut: [UnmailableMember] = []
        let send = OutboxSend(kind: "notice", subject: announcement.subject, body: body, messages: [])
        let id = try outbox.enqueue(at: now, building: { _ in send }, adding: { db, row in
            count = try Recipient.forEach(db, networks: announcement.networks, purpose: .notice, leftOut: { leftOut.append($0) }) { recipient in
                try row(list.message(to: recipient, shared: shared))
            }
            guard count > 0 else { throw NoticeError.nobodyToSendTo(announcement.networks) }
        })
        return (id, count, leftOut)
    }

    /// The shared MIME entity: `multipart/alternative` with the text first, then the HTML.
    func renderBody(_ announcement: Announcement) throws -> [UInt8] {
        let texts = FixedTexts(configuration.organisation.language)
        let names = announcement.networks.compactMap { configuration.network($0)?.name }
        let footer = texts.noticeFooter(networks: names)
        let unsubscribe = configuration.newsletter.unsubscribe.mailto != nil || configuration.newsletter.unsubscribe.url != nil
            ? texts.unsubscribeHint : nil
        var context: [String: Any] = [
            "language": configuration.organisation.language.rawValue,
            "organisation": configuration.organisation.name,
            "subject": announcement.subject,
            "footer": footer,
        ]
        if let unsubscribe { context["unsubscribe"] = unsubscribe }
        context["content"] = SafeMarkdown.html(announcement.markdown)
        let html = try templates.render("notice.html", context)
        context["content"] = SafeMarkdown.text(announcement.markdown)
        let text = try templates.render("notice.txt", context)
        return try MIMEPart.alternative([.plain(text), .html(html)]).entity
    }
}
