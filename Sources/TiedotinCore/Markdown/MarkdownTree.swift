import CCmark
import Foundation

/// A Markdown text parsed by cmark, the CommonMark reference library, as the flat sequence of
/// its syntax tree's enter and exit events. Both renderers walk this one sequence, so the HTML
/// and the plain text say the same thing, and neither recurses (a hostile item nested thousands
/// of levels deep cannot exhaust a task's stack).
///
/// Raw HTML never reaches a reader as markup: it is shown as the text it is. An HTML block
/// (a line that starts with a tag) would otherwise take the rest of its paragraph with it,
/// Markdown, links and all, so its text is parsed again as Markdown with every `<` escaped.
struct MarkdownTree: Sendable {
    /// A node that holds others.
    enum Container: Sendable, Equatable {
        case document, blockQuote, item, paragraph, emphasis, strong
        case list(ordered: Bool, start: Int, tight: Bool)
        case heading(level: Int)
        case link(url: String)
        case image
    }

    /// A node without children.
    enum Leaf: Sendable, Equatable {
        case text(String), code(String), codeBlock(String)
        case softBreak, lineBreak, thematicBreak
    }

    enum Event: Sendable, Equatable {
        case enter(Container), exit(Container), leaf(Leaf)
    }

    let events: [Event]

    /// Parses with `CMARK_OPT_DEFAULT` (safe: raw HTML and unsafe URLs are not trusted).
    init(parsing markdown: String) {
        self.init(parsing: markdown, reparsingHTMLBlocks: true)
    }

    private init(parsing markdown: String, reparsingHTMLBlocks: Bool) {
        var utf8 = Array(markdown.utf8)
        // A UTF-8 byte-order mark would otherwise show up as text.
        if utf8.starts(with: [0xEF, 0xBB, 0xBF]) { utf8.removeFirst(3) }
        let root = utf8.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: max(buffer.count, 1)) {
                cmark_parse_document($0, buffer.count, CMARK_OPT_DEFAULT)
            }
        }
        guard let root else {
            events = [.enter(.document), .exit(.document)]
            return
        }
        defer { cmark_node_free(root) }
        var events: [Event] = []
        let iterator = cmark_iter_new(root)
        defer { cmark_iter_free(iterator) }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard let node = cmark_iter_get_node(iterator) else { continue }
            if cmark_node_get_type(node) == CMARK_NODE_HTML_BLOCK {
                let literal = MarkdownTree.string(cmark_node_get_literal(node))
                if reparsingHTMLBlocks {
                    let escaped = MarkdownTree(
                        parsing: literal.replacingOccurrences(of: "<", with: "\\<"), reparsingHTMLBlocks: false)
                    events += escaped.events.filter { $0 != .enter(.document) && $0 != .exit(.document) }
                } else {
                    events += [.enter(.paragraph), .leaf(.text(literal.trimmingCharacters(in: .newlines))), .exit(.paragraph)]
                }
            } else if let container = MarkdownTree.container(node) {
                events.append(event == CMARK_EVENT_ENTER ? .enter(container) : .exit(container))
            } else if event == CMARK_EVENT_ENTER, let leaf = MarkdownTree.leaf(node) {
                events.append(.leaf(leaf))
            }
        }
        self.events = events
    }

    private static func container(_ node: OpaquePointer) -> Container? {
        switch cmark_node_get_type(node) {
        case CMARK_NODE_DOCUMENT: .document
        case CMARK_NODE_BLOCK_QUOTE: .blockQuote
        case CMARK_NODE_LIST:
            .list(
                ordered: cmark_node_get_list_type(node) == CMARK_ORDERED_LIST,
                start: Int(cmark_node_get_list_start(node)), tight: cmark_node_get_list_tight(node) != 0)
        case CMARK_NODE_ITEM: .item
        case CMARK_NODE_PARAGRAPH: .paragraph
        case CMARK_NODE_HEADING: .heading(level: Int(cmark_node_get_heading_level(node)))
        case CMARK_NODE_EMPH: .emphasis
        case CMARK_NODE_STRONG: .strong
        case CMARK_NODE_LINK: .link(url: string(cmark_node_get_url(node)))
        case CMARK_NODE_IMAGE: .image
        // Custom blocks and inlines only come from code that builds trees; treat them as text holders.
        case CMARK_NODE_CUSTOM_BLOCK: .paragraph
        case CMARK_NODE_CUSTOM_INLINE: .emphasis
        default: nil
        }
    }

    private static func leaf(_ node: OpaquePointer) -> Leaf? {
        switch cmark_node_get_type(node) {
        case CMARK_NODE_TEXT: .text(string(cmark_node_get_literal(node)))
        case CMARK_NODE_CODE: .code(string(cmark_node_get_literal(node)))
        case CMARK_NODE_CODE_BLOCK: .codeBlock(string(cmark_node_get_literal(node)))
        case CMARK_NODE_SOFTBREAK: .softBreak
        case CMARK_NODE_LINEBREAK: .lineBreak
        case CMARK_NODE_THEMATIC_BREAK: .thematicBreak
        case CMARK_NODE_HTML_INLINE: .text(string(cmark_node_get_literal(node)))
        default: nil
        }
    }

    private static func string(_ pointer: UnsafePointer<CChar>?) -> String {
        pointer.map { String(cString: $0) } ?? ""
    }
}

/// What a renderer keeps for one open container.
protocol MarkdownFrame {
    init(container: MarkdownTree.Container)
    var container: MarkdownTree.Container { get }
}

extension MarkdownTree {
    /// Walks the events with a stack of frames, one per open container, the document's at the
    /// bottom: `leaf` writes into the innermost frame, `close` folds a finished frame into the
    /// stack that remains (its parent is the last). Returns the document's frame.
    func fold<Frame: MarkdownFrame>(
        leaf: (Leaf, inout Frame) -> Void, close: (Frame, inout [Frame]) -> Void
    ) -> Frame {
        var stack = [Frame(container: .document)]
        for event in events {
            switch event {
            case .enter(.document), .exit(.document):
                continue
            case .enter(let container):
                stack.append(Frame(container: container))
            case .leaf(let value):
                leaf(value, &stack[stack.count - 1])
            case .exit:
                let frame = stack.removeLast()
                close(frame, &stack)
            }
        }
        return stack[0]
    }
}
