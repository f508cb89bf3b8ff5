import Foundation

/// Markdown from submitters and the admin, made safe for a reader's mail client.
///
/// cmark (the CommonMark reference library) parses the text once; the HTML and the plain text
/// are rendered from that one syntax tree. Raw HTML is shown as the text it is (escaped, never
/// markup, and without swallowing the Markdown around it), every link must be `http`,
/// `https` or `mailto` (others keep only their text), images become their alt text (an
/// image-only mail looks like spam), and link text that looks like one address cannot point
/// at another.
public enum SafeMarkdown {
    /// Both renderings of one Markdown text.
    public struct Rendering: Sendable, Equatable {
        /// HTML with nothing active in it: no raw HTML, no scripts, no unsafe URLs.
        public var html: String
        /// Plain text that says what the HTML says: links as `text <url>`.
        public var text: String
    }

    /// The HTML and the plain text of a Markdown text, from one parse.
    public static func render(_ markdown: String) -> Rendering {
        let tree = MarkdownTree(parsing: markdown)
        return Rendering(html: MarkdownHTMLRenderer.render(tree), text: MarkdownTextRenderer.render(tree))
    }

    /// The HTML for a Markdown text.
    public static func html(_ markdown: String) -> String {
        MarkdownHTMLRenderer.render(MarkdownTree(parsing: markdown))
    }

    /// A plain-text rendering that says what the HTML says: links as `text <url>`.
    public static func text(_ markdown: String) -> String {
        MarkdownTextRenderer.render(MarkdownTree(parsing: markdown))
    }

    /// Whether a link target may reach a reader.
    public static func isAllowedLink(_ target: String) -> Bool {
        guard !target.contains(where: { $0.isWhitespace || "\"'<>`".contains($0) }),
              let colon = target.firstIndex(of: ":") else { return false }
        let scheme = target[..<colon].lowercased()
        switch scheme {
        case "http", "https": return target.dropFirst(scheme.count + 1).hasPrefix("//") && URL(string: target)?.host != nil
        case "mailto": return target.count > 7
        default: return false
        }
    }

    /// Escapes text for HTML content and attribute values.
    public static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }

    /// Link text that looks like an address other than the target: the real target is shown too.
    static func pretendsToBeAnotherAddress(title: String, target: String) -> Bool {
        let shown = title.trimmingCharacters(in: .whitespaces).lowercased()
        guard shown.hasPrefix("http://") || shown.hasPrefix("https://") || shown.hasPrefix("www.") else { return false }
        let shownHost = URL(string: shown.hasPrefix("www.") ? "https://" + shown : shown)?.host
        let targetHost = URL(string: target)?.host?.lowercased()
        return shownHost != targetHost
    }
}
