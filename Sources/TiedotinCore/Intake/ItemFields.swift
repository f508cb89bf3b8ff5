/// The front matter fields an item may have.
enum ItemFields {
    static let required = ["title", "organisation", "section"]
    static let optional = ["contact", "date", "link", "publish_until"]
    static let all = required + optional
    static var allowedList: String { all.joined(separator: ", ") }

    /// A known field close to `key` (a typo such as `organization` or `publish-until`).
    static func suggestion(for key: String) -> String? {
        let folded = key.lowercased().replacingOccurrences(of: "-", with: "_").replacingOccurrences(of: " ", with: "_")
        if all.contains(folded) { return folded }
        if folded == "organization" || folded == "organisaatio" || folded == "järjestö" { return "organisation" }
        if folded == "otsikko" { return "title" }
        if folded == "osio" { return "section" }
        if folded == "yhteyshenkilö" || folded == "email" { return "contact" }
        if folded == "päivämäärä" || folded == "event_date" { return "date" }
        if folded == "linkki" || folded == "url" { return "link" }
        return nil
    }
}
