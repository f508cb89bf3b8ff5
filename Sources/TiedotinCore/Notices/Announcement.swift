import Foundation

/// A one-off notice (`tiedotin announce`): Markdown to the members of some networks, one copy each.
public struct Announcement: Sendable {
    public var networks: [String]
    public var subject: String
    public var markdown: String

    public init(networks: [String], subject: String, markdown: String) {
        self.networks = networks
        self.subject = subject
        self.markdown = markdown
    }
}
