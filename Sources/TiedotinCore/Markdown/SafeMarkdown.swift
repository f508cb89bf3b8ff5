import Foundation
import Ink

/// Markdown from submitters and the admin, made safe for a reader's mail client.
///
/// Ink passes raw HTML through verbatim and does not check link targets, so every HTML
/// fragment is shown as text, every link must be `http`, `https` or `mailto`, images become
/// their alt text (an image-only mail looks like spam), and link text that looks like one
/// address cannot point at another.
public enum SafeMarkdown {
    /// The HTML for a Markdown text.
    public static func html(_ markdown: String) -> String {
        parser.html(from: markdown)
    }

    /// A plain-text rendering that says what the HTML says: links as `text <url>`.
    public static func text(_ markdown: String) -> String {
        var lines: [String] = []
        for line in markdown.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false) {
            var line = String(line)
            line = replaceImages(in: line)
            line = replaceLinks(in: line)
            line = line.replacingOccurrences(of: "**", with: "").replacingOccurrences(of: "__", with: "")
            if let heading = line.firstMatch(of: /^#{1,6}\s+(.*)$/) {
                line = String(heading.1)
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
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

    private static var parser: MarkdownParser {
        MarkdownParser(modifiers: [
            Modifier(target: .html) { input in escape(String(input.markdown)) },
            Modifier(target: .images) { input in escape(imageAlt(input.markdown)) },
            Modifier(target: .links) { input in safeLink(input.html) },
        ])
    }

    /// Ink writes `<a href="URL">TITLE</a>`, with the URL unescaped. The title's own `>` are escaped,
    /// so the last `">` ends the URL.
    private static func safeLink(_ html: String) -> String {
        let prefix = "<a href=\""
        guard html.hasPrefix(prefix), html.hasSuffix("</a>"),
              let end = html.range(of: "\">", options: .backwards), end.lowerBound >= html.index(html.startIndex, offsetBy: prefix.count) else {
            return escape(html)
        }
        let target = String(html[html.index(html.startIndex, offsetBy: prefix.count)..<end.lowerBound])
        let title = String(html[end.upperBound..<html.index(html.endIndex, offsetBy: -4)])
        guard isAllowedLink(target) else { return title }
        if pretendsToBeAnotherAddress(title: title, target: target) {
            return "\(title) (<a href=\"\(escape(target))\">\(escape(target))</a>)"
        }
        return "<a href=\"\(escape(target))\">\(title)</a>"
    }

    /// Link text that looks like an address other than the target: show the real target too.
    private static func pretendsToBeAnotherAddress(title: String, target: String) -> Bool {
        let shown = title.trimmingCharacters(in: .whitespaces).lowercased()
        guard shown.hasPrefix("http://") || shown.hasPrefix("https://") || shown.hasPrefix("www.") else { return false }
        let shownHost = URL(string: shown.hasPrefix("www.") ? "https://" + shown : shown)?.host
        let targetHost = URL(string: target)?.host?.lowercased()
        return shownHost != targetHost
    }

    private static func imageAlt(_ markdown: Substring) -> String {
        guard let open = markdown.range(of: "!["), let close = markdown.range(of: "](") else { return "" }
        return String(markdown[open.upperBound..<close.lowerBound])
    }

    private static func replaceImages(in line: String) -> String {
        line.replacing(/!\[([^\]]*)\]\([^)]*\)/) { String($0.1) }
    }

    private static func replaceLinks(in line: String) -> String {
        line.replacing(/\[([^\]]*)\]\(([^)\s]*)\)/) { match in
            let target = String(match.2)
            return isAllowedLink(target) ? "\(match.1) <\(target)>" : String(match.1)
        }
    }
}
