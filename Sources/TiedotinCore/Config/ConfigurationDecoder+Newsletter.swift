import Foundation
import MIME

/// The networks as read so far: the valid entries, and every id written (so that a reference to a
/// network whose entry has some other problem is not reported a second time as unknown).
struct NetworkIndex {
    var list: [Configuration.Network] = []
    var ids: [String] = []
}

extension ConfigurationDecoder {
    static let newsletterKeys = [
        "title", "schedule", "recipients", "editors", "preview_lead", "approval", "list_id", "archive_url", "unsubscribe",
        "sections",
    ]

    func decodeNetworks(_ top: MappingReader) -> NetworkIndex {
        var index = NetworkIndex()
        let advice = "at least one network is required; add for example "
            + "networks: [{id: jyry, name: Järjestöyhteistyöryhmä JYRY, kind: forum}] (or one entry per line starting with -)"
        guard let value = top.value("networks") else {
            problems.add(at: top.position(of: "networks"), key: "networks", advice)
            return index
        }
        let items = value.items()
        if items.isEmpty, value.node.sequence != nil { value.report(advice) }
        var firstUse: [String: ValueReader] = [:]
        for item in items {
            let entry = item.mapping(known: ["id", "name", "kind"])
            let id = entry.required("id", example: "ikaihmiset")?.identifier(example: "ikaihmiset")
            let name = entry.required("name", example: "Ikäihmisten palvelujen järjestöverkosto")?
                .nonEmptyText(example: "Ikäihmisten palvelujen järjestöverkosto")
            let kind = entry.value("kind")?.choice(Configuration.Network.Kind.self, noun: "a kind of network")
                ?? ConfigurationDefaults.networkKind
            guard let id else { continue }
            if let first = firstUse[id] {
                entry.value("id")?.report(duplicateMessage(id, first: first, what: "network"))
                continue
            }
            firstUse[id] = entry.value("id")
            index.ids.append(id)
            if let name { index.list.append(Configuration.Network(id: id, name: name, kind: kind)) }
        }
        return index
    }

    /// `the id "jyry" is already used by networks[0] (line 40); give every network an id of its own`.
    func duplicateMessage(_ id: String, first: ValueReader, what: String) -> String {
        let entry = first.path.hasSuffix(".id") ? String(first.path.dropLast(3)) : first.path
        let line = first.position.map { " (line \($0.line))" } ?? ""
        return "the id \"\(id)\" is already used by \(entry)\(line); give every \(what) an id of its own"
    }

    /// A network id written somewhere else (recipients, invitees); reported when no network has it.
    func networkReference(_ value: ValueReader, networks: NetworkIndex) -> String? {
        guard let id = value.nonEmptyText(example: networks.ids.first ?? "jyry") else { return nil }
        guard networks.ids.contains(id) else {
            let guess = KeySuggestion.closest(to: id, among: networks.ids).map { "did you mean \($0)? " } ?? ""
            let known = networks.ids.isEmpty ? "add the network under networks first"
                : "write one of the ids under networks: \(KeySuggestion.list(networks.ids))"
            value.report("\"\(id)\" is not the id of any network; \(guess)\(known)")
            return nil
        }
        return id
    }

    func decodeNewsletter(
        _ section: MappingReader, networks: NetworkIndex, mail: Configuration.Mail?
    ) -> Configuration.Newsletter? {
        let title = section.value("title")?.nonEmptyText(example: ConfigurationDefaults.newsletterTitle)
            ?? ConfigurationDefaults.newsletterTitle
        let schedule = section.value("schedule").map(decodeSchedule) ?? ConfigurationDefaults.newsletterSchedule

        var recipients: [String]?
        if let value = section.value("recipients") {
            if case .scalar(let scalar) = value.node, scalar.string == "all" {
                recipients = nil
            } else {
                recipients = value.items().compactMap { networkReference($0, networks: networks) }
            }
        }
        let editorItems = section.value("editors")?.items() ?? []
        let editors = editorItems.compactMap { $0.address(example: "jarjestotyo@pohde.example.fi") }
        let previewLead = section.value("preview_lead")?.duration(example: "2d") ?? ConfigurationDefaults.previewLead
        let approval = section.value("approval")?.choice(Configuration.Newsletter.Approval.self, noun: "an approval setting")
            ?? ConfigurationDefaults.approval
        if approval == .required, editorItems.isEmpty {
            section.value("approval")?.report(
                "approval: required needs an editor to approve; list one or more addresses under newsletter.editors, "
                    + "for example editors: [jarjestotyo@pohde.example.fi]")
        }

        var listID = mail.map { ConfigurationDefaults.listIDPrefix + $0.from.domain }
        if let value = section.value("list_id"), let text = value.nonEmptyText(example: "uutiskirje.pohde.example.fi") {
            let allowed = text.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "-.".unicodeScalars.contains($0)
            }
            if allowed, text.contains("."), !text.hasPrefix("."), !text.hasSuffix("."), !text.contains("..") {
                listID = text
            } else {
                value.report("\"\(text)\" is not a list id (RFC 2919): write a name and a domain you own, "
                    + "joined by dots, for example list_id: uutiskirje.pohde.example.fi")
            }
        }
        let archiveURL = section.value("archive_url")?
            .url(schemes: ["https", "http"], example: "https://pohde.example.fi/tiedotin/arkisto")
        let unsubscribe = decodeUnsubscribe(section.section("unsubscribe", known: ["mailto", "url", "listen", "mailbox"]), mail: mail)
        let sections = decodeSections(section)

        guard let schedule else { return nil }
        return Configuration.Newsletter(
            title: title, schedule: schedule, recipients: recipients, editors: editors, previewLead: previewLead,
            approval: approval, listID: listID, archiveURL: archiveURL, unsubscribe: unsubscribe, sections: sections)
    }

    /// The schedule's RRULE: its BYHOUR (and BYMINUTE) give the send time and it runs until the config
    /// changes, so it needs BYHOUR and takes no COUNT or UNTIL.
    private func decodeSchedule(_ value: ValueReader) -> String? {
        let example = ConfigurationDefaults.newsletterSchedule
        guard let rule = value.recurrenceRule(example: example), let text = value.text(example: example) else { return nil }
        if let end = rule.end {
            let name = rule.count != nil ? "COUNT" : "UNTIL"
            value.report("\(end) is not allowed in the newsletter schedule, which runs until the config changes; "
                + "remove \(name), for example schedule: \(example)")
            return nil
        }
        if rule.byHour.isEmpty {
            value.report("the schedule has no BYHOUR, so it has no send time; add BYHOUR (and BYMINUTE), for example schedule: \(example)")
            return nil
        }
        return text
    }

    private func decodeUnsubscribe(_ section: MappingReader, mail: Configuration.Mail?) -> Configuration.Newsletter.Unsubscribe {
        // Without an address of its own, unsubscribe mail goes to whoever answers the newsletter.
        let fallback = (mail?.replyTo ?? mail?.from).flatMap { try? EmailAddress(address: $0.address) }
        let mailto = section.value("mailto").map { $0.address(example: "unsubscribe@pohde.example.fi") } ?? fallback
        var url = section.value("url")?.url(schemes: ["https", "http"], example: "https://pohde.example.fi/tiedotin/unsubscribe")
        if let plain = url, plain.scheme?.lowercased() == "http", !LoopbackHost.contains(plain.host) {
            // RFC 8058 one-click needs HTTPS; a plain link would also carry the token in clear.
            section.value("url")?.report("\"\(plain.absoluteString)\" is plain http, which readers' mail programs will not use for "
                + "one-click unsubscribe and which shows the personal token to the network; write an https:// URL, for example "
                + "url: https://pohde.example.fi/tiedotin/unsubscribe (http:// is accepted only on 127.0.0.1 or localhost, for development)")
            url = nil
        }
        var listen: String?
        if let value = section.value("listen"), let text = value.nonEmptyText(example: "127.0.0.1:8025") {
            if let colon = text.lastIndex(of: ":"), colon != text.startIndex, let port = Int(text[text.index(after: colon)...]),
               (1...65_535).contains(port) {
                listen = text
                if !section.has("url") {
                    value.report("listen needs the public address of the endpoint; add url:, for example "
                        + "url: https://pohde.example.fi/tiedotin/unsubscribe (the service answers on its path)")
                }
            } else {
                value.report("\"\(text)\" is not an address and port to listen on; write for example listen: 127.0.0.1:8025")
            }
        }
        let mailbox = section.value("mailbox").flatMap { path($0, example: "/var/mail/tiedotin-unsubscribe") }
        return Configuration.Newsletter.Unsubscribe(mailto: mailto, url: url, listen: listen, mailbox: mailbox)
    }

    private func decodeSections(_ newsletter: MappingReader) -> [Configuration.Newsletter.Section] {
        guard let value = newsletter.value("sections") else { return ConfigurationDefaults.sections }
        let items = value.items()
        if items.isEmpty, value.node.sequence != nil {
            value.report("at least one section is needed (every item names its section); add for example "
                + "sections: [{id: koulutukset, title: Koulutukset ja tapahtumat}] (or one entry per line starting with -)")
        }
        var sections: [Configuration.Newsletter.Section] = []
        var firstUse: [String: ValueReader] = [:]
        for item in items {
            let entry = item.mapping(known: ["id", "title"])
            let id = entry.required("id", example: "koulutukset")?.identifier(example: "koulutukset")
            let title = entry.required("title", example: "Koulutukset ja tapahtumat")?.nonEmptyText(example: "Koulutukset ja tapahtumat")
            guard let id else { continue }
            if let first = firstUse[id] {
                entry.value("id")?.report(duplicateMessage(id, first: first, what: "section"))
                continue
            }
            firstUse[id] = entry.value("id")
            if let title { sections.append(Configuration.Newsletter.Section(id: id, title: title)) }
        }
        return sections
    }
}
