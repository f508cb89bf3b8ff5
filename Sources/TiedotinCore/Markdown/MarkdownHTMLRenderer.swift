import Foundation

/// Writes a `MarkdownTree` as HTML in which only our own tags appear: every text is escaped
/// (raw HTML included), images become their alt text and unsafe links their text.
enum MarkdownHTMLRenderer {
    /// One open container: the HTML of its children so far, and their plain text (a link needs it).
    private struct Frame: MarkdownFrame {
        var container: MarkdownTree.Container
        var html = ""
        var plain = ""

        init(container: MarkdownTree.Container) {
            self.container = container
        }
    }

    static func render(_ tree: MarkdownTree) -> String {
        let document = tree.fold { (leaf, frame: inout Frame) in
            let (html, plain) = render(leaf)
            frame.html += html
            frame.plain += plain
        } close: { frame, stack in
            let inTightList = isTightItem(stack)
            stack[stack.count - 1].html += close(frame, inTightList: inTightList)
            stack[stack.count - 1].plain += frame.plain
        }
        return document.html.trimmingCharacters(in: .newlines)
    }

    /// A paragraph whose parent is an item of a tight list is written without `<p>`, as CommonMark says.
    private static func isTightItem(_ stack: [Frame]) -> Bool {
        guard stack.count >= 2, stack[stack.count - 1].container == .item,
              case .list(_, _, let tight) = stack[stack.count - 2].container else { return false }
        return tight
    }

    private static func render(_ leaf: MarkdownTree.Leaf) -> (html: String, plain: String) {
        switch leaf {
        case .text(let text): (SafeMarkdown.escape(text), text)
        case .code(let code): ("<code>\(SafeMarkdown.escape(code))</code>", code)
        case .codeBlock(let code): ("<pre><code>\(SafeMarkdown.escape(code))</code></pre>\n", code)
        case .softBreak: ("\n", " ")
        case .lineBreak: ("<br />\n", " ")
        case .thematicBreak: ("<hr />\n", "")
        }
    }

    private static func close(_ frame: Frame, inTightList: Bool) -> String {
        let inner = frame.html
        switch frame.container {
        case .document: return inner
        case .blockQuote: return "<blockquote>\n\(inner)</blockquote>\n"
        case .list(let ordered, let start, _):
            if !ordered { return "<ul>\n\(inner)</ul>\n" }
            return start == 1 ? "<ol>\n\(inner)</ol>\n" : "<ol start=\"\(start)\">\n\(inner)</ol>\n"
        case .item:
            return "<li>\(inner.hasSuffix("\n") ? String(inner.dropLast()) : inner)</li>\n"
        case .paragraph: return inTightList ? inner : "<p>\(inner)</p>\n"
        case .heading(let level): return "<h\(level)>\(inner)</h\(level)>\n"
        case .emphasis: return "<em>\(inner)</em>"
        case .strong: return "<strong>\(inner)</strong>"
        case .image: return SafeMarkdown.escape(frame.plain)
        case .link(let url):
            guard SafeMarkdown.isAllowedLink(url) else { return inner }
            let target = SafeMarkdown.escape(url)
            if SafeMarkdown.pretendsToBeAnotherAddress(title: frame.plain, target: url) {
                return "\(inner) (<a href=\"\(target)\">\(target)</a>)"
            }
            return "<a href=\"\(target)\">\(inner)</a>"
        }
    }
}
