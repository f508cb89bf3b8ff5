import Foundation

/// A meeting the edition's "upcoming meetings" section lists.
public struct UpcomingMeeting: Sendable, Equatable, Codable {
    /// The forum's name, e.g. "Järjestöyhteistyöryhmä JYRY".
    public var forum: String
    public var start: Date
    public var location: String?
    /// An online meeting link (http or https).
    public var url: String?

    /// A meeting to list.
    public init(forum: String, start: Date, location: String? = nil, url: String? = nil) {
        self.forum = forum
        self.start = start
        self.location = location
        self.url = url
    }

    /// The meetings after a moment, soonest first; the Meetings area plugs its query in here.
    public typealias Query = @Sendable (_ after: Date) throws -> [UpcomingMeeting]

    /// No meetings: what an edition lists until the Meetings area provides its query.
    public static let none: Query = { _ in [] }
}
