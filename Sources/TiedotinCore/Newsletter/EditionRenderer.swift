import Foundation

/// Renders an edition through the admin's templates in `paths.templates`:
/// `newsletter.html` (a 600-pixel table layout with inline styles, for mail clients),
/// `newsletter.txt` (wrapped at 72 columns, links listed at the end) and `newsletter-preview.txt`
/// (the editors' preview note around the text).
public struct EditionRenderer: Sendable {
    /// Stands where each reader's unsubscribe token goes: the outbox swaps it per recipient. Letters
    /// only and as long as a token, so quoted-printable keeps it on one line and swapping it keeps
    /// every line's length.
    public static let tokenMarker = "TIEDOTINREADERTOKENMARKERX"

    /// The templates an edition needs; `check-config` parses each.
    public static let templateNames = ["newsletter.html", "newsletter.txt", "newsletter-preview.txt"]

    public let configuration: Configuration
    let templates: TemplateLibrary
    let texts: EditionTexts

    /// A renderer with the config's templates and language.
    public init(configuration: Configuration) {
        self.configuration = configuration
        templates = TemplateLibrary(folder: configuration.paths.templates)
        texts = EditionTexts(configuration)
    }

    /// One edition as each audience gets it.
    public struct Rendered: Sendable {
        public var subject: String
        /// For members: the unsubscribe link holds `tokenMarker`.
        public var html: String
        public var text: String
        /// The public archive page: no one's unsubscribe link.
        public var archiveHTML: String
        /// The file name of the archive page, `YYYY-MM-DD.html`.
        public var archiveFile: String
    }

    /// The editors' preview of an edition.
    public struct Preview: Sendable {
        public var subject: String
        public var html: String
        public var text: String
    }

    /// The subject of the edition sent at `sendTime`.
    public func subject(sendTime: Date) -> String {
        texts.subject(title: configuration.newsletter.title, sendTime: sendTime)
    }

    /// The member and archive renderings of `content`, the edition sent at `sendTime`.
    public func render(_ content: EditionContent, sendTime: Date) throws(TemplateError) -> Rendered {
        let archiveFile = EditionContent.localDay(sendTime, timeZone: configuration.organisation.timeZone) + ".html"
        var member = context(content, sendTime: sendTime, text: false)
        let archiveLink = configuration.newsletter.archiveURL.map { url in
            ["url": url.absoluteString.hasSuffix("/") ? url.absoluteString + archiveFile : url.absoluteString + "/" + archiveFile,
             "text": texts.readInBrowser]
        }
        let archive = try templates.render("newsletter.html", member)
        if let archiveLink { member["archiveLink"] = archiveLink }
        member["unsubscribe"] = unsubscribe(token: Self.tokenMarker)
        let html = try templates.render("newsletter.html", member)
        var textContext = context(content, sendTime: sendTime, text: true)
        if let archiveLink { textContext["archiveLink"] = archiveLink }
        textContext["unsubscribe"] = unsubscribe(token: Self.tokenMarker)
        let text = PlainText.wrap(try templates.render("newsletter.txt", textContext))
        return Rendered(subject: subject(sendTime: sendTime), html: html, text: text, archiveHTML: archive, archiveFile: archiveFile)
    }

    /// The editors' preview: the member's edition with a note on top, showing a placeholder for the token.
    public func preview(_ content: EditionContent, sendTime: Date, held: Bool) throws(TemplateError) -> Preview {
        let note = texts.previewNote(
            sendTime: sendTime, approvalRequired: configuration.newsletter.approval == .required, held: held)
        var html = context(content, sendTime: sendTime, text: false)
        html["preview"] = [
            "stamp": texts.previewStamp(sendTime: sendTime), "note": note,
            "lines": note.split(separator: "\n").map { ["line": String($0)] },
        ] as [String: Any]
        html["unsubscribe"] = unsubscribe(token: texts.previewToken)
        let member = try render(content, sendTime: sendTime)
        let text = try templates.render("newsletter-preview.txt", [
            "stamp": texts.previewStamp(sendTime: sendTime), "note": note,
            "edition": Self.personalised(member.text, token: texts.previewToken),
        ])
        return Preview(
            subject: texts.previewSubject(member.subject), html: try templates.render("newsletter.html", html),
            text: PlainText.wrap(text))
    }

    /// A rendering with the marker replaced by one reader's token (what that reader's mail shows).
    public static func personalised(_ text: String, token: String) -> String {
        text.replacingOccurrences(of: tokenMarker, with: token)
    }

    private func unsubscribe(token: String) -> [String: String]? {
        guard let link = ListHeaders(configuration: configuration).unsubscribeLink(token: token) else { return nil }
        return ["note": texts.unsubscribeNote, "url": link, "text": texts.unsubscribeLinkText]
    }

    /// What the templates see. For the text template, bodies are plain text with numbered link references.
    private func context(_ content: EditionContent, sendTime: Date, text: Bool) -> [String: Any] {
        var links = PlainText()
        let sections: [[String: Any]] = content.sections.map { section in
            let items: [[String: Any]] = section.items.map { item in
                var entry: [String: Any] = ["title": item.title, "organisation": item.organisation]
                if let day = item.eventDate.flatMap(texts.eventDay) { entry["eventDate"] = day }
                if text {
                    entry["body"] = links.referencing(SafeMarkdown.text(item.body))
                } else {
                    entry["body"] = SafeMarkdown.html(item.body)
                }
                if let link = item.link, SafeMarkdown.isAllowedLink(link) {
                    entry["link"] = ["url": link, "text": texts.readMore, "number": links.reference(link)]
                }
                return entry
            }
            return ["title": section.title, "items": items]
        }
        var context: [String: Any] = [
            "language": configuration.organisation.language.rawValue,
            "organisation": configuration.organisation.name,
            "title": configuration.newsletter.title,
            "subject": subject(sendTime: sendTime),
            "date": texts.day(sendTime),
            "sections": sections,
            "contents": ["heading": texts.inThisEdition, "titles": content.sections.map { ["title": $0.title] }],
            "footer": texts.footer(organisation: configuration.organisation.name),
        ]
        if !content.meetings.isEmpty {
            context["meetings"] = [
                "heading": texts.meetingsHeading,
                "list": content.meetings.map { meeting -> [String: Any] in
                    var entry: [String: Any] = ["forum": meeting.forum, "when": texts.dayAndTime(meeting.start)]
                    if let location = meeting.location { entry["location"] = location }
                    if let url = meeting.url, SafeMarkdown.isAllowedLink(url) {
                        entry["url"] = url
                        entry["number"] = links.reference(url)
                    }
                    return entry
                },
            ]
        }
        if text, !links.links.isEmpty {
            context["links"] = [
                "heading": texts.links,
                "list": links.links.enumerated().map { ["number": $0.offset + 1, "url": $0.element] as [String: Any] },
            ]
        }
        return context
    }
}
