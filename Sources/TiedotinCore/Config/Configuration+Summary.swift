extension Configuration {
    /// A few lines for the admin saying what this configuration will do: organisation, networks,
    /// forums, newsletter and transport. `check-config` prints them when the file is valid.
    public var summary: [String] {
        var lines = ["\(file): valid"]
        lines.append("organisation: \(organisation.name) (\(organisation.timeZone.identifier), \(organisation.language.rawValue))")
        lines.append("networks: \(networks.count) (\(networks.map(\.id).joined(separator: ", ")))")

        let meetings = forums.flatMap(\.meetings)
        let cancelled = meetings.filter(\.cancelled).count
        let recurring = forums.filter { $0.recurrence != nil }.map(\.id)
        var forumLine = "forums: \(forums.count), \(meetings.count) listed meetings"
        if cancelled > 0 { forumLine += " (\(cancelled) cancelled)" }
        if !recurring.isEmpty { forumLine += ", recurring: \(recurring.joined(separator: ", "))" }
        lines.append(forumLine)

        let recipients = newsletter.recipients.map { $0.joined(separator: ", ") } ?? "all networks"
        lines.append("newsletter: \(newsletter.title), \(newsletter.schedule), to \(recipients), "
            + "\(newsletter.sections.count) sections, approval \(newsletter.approval.rawValue)")

        switch mail.transport {
        case .maildir:
            lines.append("transport: maildir into \(mail.maildir) (nothing leaves the machine)")
        case .smtp:
            let smtp = mail.smtp
            var login = "no login"
            if smtp.auth != .none { login = "\(smtp.auth.rawValue) login as \(smtp.username ?? "?")" }
            let perMinute = mail.rate.perMinute == 0 ? "no cap" : "\(mail.rate.perMinute)"
            let perDay = mail.rate.perDay == 0 ? "no cap" : "\(mail.rate.perDay)"
            lines.append("transport: smtp to \(smtp.url.absoluteString) (STARTTLS \(smtp.startTLS.rawValue), \(login)), "
                + "\(mail.connections) connection\(mail.connections == 1 ? "" : "s"), per minute \(perMinute), per day \(perDay)")
        }
        return lines
    }
}
