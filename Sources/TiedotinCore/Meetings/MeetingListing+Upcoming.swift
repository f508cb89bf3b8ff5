import Foundation

extension MeetingListing {
    /// How far ahead the newsletter's "upcoming meetings" section looks: about two editions.
    public static let newsletterHorizon: TimeInterval = 62 * 24 * 3600

    /// The query an edition fills its "upcoming meetings" section with: the meetings of every
    /// forum that are neither cancelled nor past, within `newsletterHorizon` of the moment asked.
    public static func upcomingQuery(configuration: Configuration, store: Store) -> UpcomingMeeting.Query {
        { after in
            try upcoming(configuration: configuration, store: store, from: after, to: after + newsletterHorizon)
                .sorted { $0.details.start < $1.details.start }
                .map { UpcomingMeeting(forum: $0.details.name, start: $0.details.start, location: $0.details.location, url: $0.details.url) }
        }
    }
}
