import Foundation

/// The public archive in `paths.archive`: each sent edition as a standalone page
/// `YYYY-MM-DD.html` (`YYYY-MM-DD-2.html` for a second one that day) and `index.html` listing
/// them, newest first. Files are written whole (a temporary file renamed into place).
struct EditionArchive: Sendable {
    let folder: String
    let title: String
    let heading: String
    let language: Configuration.Language
    let timeZone: TimeZone

    init(configuration: Configuration) {
        folder = configuration.paths.archive
        title = configuration.newsletter.title
        heading = EditionTexts(configuration).archiveTitle
        language = configuration.organisation.language
        timeZone = configuration.organisation.timeZone
    }

    /// Writes the page of `edition` under a name no other edition has, then the index of `sent`
    /// (which includes it). Returns the page's file name.
    func write(_ edition: Edition, page: String, sent: [Edition]) throws(EditionError) -> String {
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw .archive(path: folder, reason: error.localizedDescription)
        }
        let taken = Set(sent.filter { $0.id != edition.id }.compactMap(\.archiveFile))
        let wanted = edition.archiveFile ?? EditionContent.localDay(edition.scheduledFor, timeZone: timeZone) + ".html"
        var name = wanted
        var number = 2
        while taken.contains(name) {
            name = String(wanted.dropLast(5)) + "-\(number).html"
            number += 1
        }
        try save(page, as: name)
        var listed = sent
        if let index = listed.firstIndex(where: { $0.id == edition.id }) { listed[index].archiveFile = name }
        try save(index(listed), as: "index.html")
        return name
    }

    /// The index page: every edition with a page, newest first.
    func index(_ editions: [Edition]) -> String {
        let rows = editions.sorted { $0.scheduledFor > $1.scheduledFor }.compactMap { edition -> String? in
            guard let file = edition.archiveFile else { return nil }
            let subject = SafeMarkdown.escape(edition.subject ?? file)
            return "<li style=\"margin:6px 0;\"><a href=\"\(SafeMarkdown.escape(file))\">\(subject)</a></li>"
        }
        return """
            <!DOCTYPE html>
            <html lang="\(language.rawValue)">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="color-scheme" content="light dark">
            <title>\(SafeMarkdown.escape(title)) – \(SafeMarkdown.escape(heading))</title>
            </head>
            <body style="max-width:600px;margin:0 auto;padding:24px 16px;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;">
            <h1 style="font-size:24px;">\(SafeMarkdown.escape(title))</h1>
            <h2 style="font-size:18px;">\(SafeMarkdown.escape(heading))</h2>
            <ul style="padding-left:20px;">
            \(rows.joined(separator: "\n"))
            </ul>
            </body>
            </html>

            """
    }

    private func save(_ text: String, as name: String) throws(EditionError) {
        let path = folder + "/" + name
        let temporary = folder + "/." + name + ".tmp"
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
            guard rename(temporary, path) == 0 else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
            }
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw .archive(path: path, reason: error.localizedDescription)
        }
    }
}
