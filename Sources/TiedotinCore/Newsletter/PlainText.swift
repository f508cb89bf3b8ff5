/// Plain text for mail readers: lines wrapped at 72 columns, and links as numbered references
/// (`[1]`) listed at the end, so a long address never breaks a sentence.
struct PlainText {
    /// The column lines are wrapped at.
    static let width = 72

    /// The links collected so far, numbered from 1 in the order they appear.
    private(set) var links: [String] = []

    /// The number of `link` in the list, adding it when it is new.
    mutating func reference(_ link: String) -> Int {
        if let index = links.firstIndex(of: link) { return index + 1 }
        links.append(link)
        return links.count
    }

    /// `SafeMarkdown.text` output with every `text <url>` turned into `text [n]`.
    mutating func referencing(_ text: String) -> String {
        text.replacing(/\s<((?:https?|mailto):[^\s<>]+)>/) { match in " [\(reference(String(match.1)))]" }
    }

    /// Wraps every line longer than `width` at spaces, keeping its indentation; a word longer than a
    /// line (an address) stays whole on a line of its own.
    static func wrap(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            guard line.count > width else { return String(line) }
            let indent = String(line.prefix { $0 == " " })
            var lines: [String] = []
            var current = indent
            for word in line.dropFirst(indent.count).split(separator: " ") {
                if current.count > indent.count, current.count + 1 + word.count > width {
                    lines.append(current)
                    current = indent
                }
                current += (current.count > indent.count ? " " : "") + String(word)
            }
            lines.append(current)
            return lines.joined(separator: "\n")
        }.joined(separator: "\n")
    }
}
