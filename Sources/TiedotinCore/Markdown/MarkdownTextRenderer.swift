import Foundation

/// Writes a `MarkdownTree` as plain text that says what the HTML says: headings and paragraphs
/// as lines, lists with `-` or numbers, quotes with `>`, links as `text <url>` (unsafe ones as
/// their text), images as their alt text, raw HTML as the text it is.
enum MarkdownTextRenderer {
    /// One open container: the finished blocks inside it and the inline text being written.
    private struct Frame: MarkdownFrame {
        var container: MarkdownTree.Container
        var blocks: [String] = []
        var inline = ""

        init(container: MarkdownTree.Container) {
            self.container = container
        }
    }

    static func render(_ tree: MarkdownTree) -> String {
        let document = tree.fold { (leaf, frame: inout Frame) in
            switch leaf {
            case .text(let text), .code(let text): frame.inline += text
            case .softBreak, .lineBreak: frame.inline += "\n"
            case .codeBlock(let code):
                let lines = code.split(separator: "\n", omittingEmptySubsequences: false).dropLast(code.hasSuffix("\n") ? 1 : 0)
                frame.blocks.append(lines.map { "    " + $0 }.joined(separator: "\n"))
            case .thematicBreak: frame.blocks.append("* * *")
            }
        } close: { frame, stack in
            close(frame, into: &stack[stack.count - 1])
        }
        return (document.blocks + [document.inline]).filter { !$0.isEmpty }.joined(separator: "\n\n")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func close(_ frame: Frame, into parent: inout Frame) {
        switch frame.container {
        case .document: break
        case .paragraph, .heading: parent.blocks.append(frame.inline)
        case .emphasis, .strong, .image: parent.inline += frame.inline
        case .link(let url):
            guard SafeMarkdown.isAllowedLink(url) else {
                parent.inline += frame.inline
                return
            }
            let shown = url.hasPrefix("mailto:") ? String(url.dropFirst(7)) : url
            parent.inline += frame.inline == url || frame.inline == shown ? shown : "\(frame.inline) <\(url)>"
        case .blockQuote:
            parent.blocks.append(prefixed(frame.blocks.joined(separator: "\n\n"), first: "> ", rest: "> "))
        case .item:
            // The list numbers its items when it closes; keep each item as one block for now.
            parent.blocks.append(frame.blocks.joined(separator: "\n\n"))
        case .list(let ordered, let start, let tight):
            let items = frame.blocks.enumerated().map { index, item in
                let marker = ordered ? "\(start + index). " : "- "
                return prefixed(item, first: marker, rest: String(repeating: " ", count: marker.count))
            }
            parent.blocks.append(items.joined(separator: tight ? "\n" : "\n\n"))
        }
    }

    private static func prefixed(_ text: String, first: String, rest: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map { index, line in
            line.isEmpty && index > 0 ? rest.trimmingCharacters(in: .whitespaces) : (index == 0 ? first : rest) + line
        }.joined(separator: "\n")
    }
}
