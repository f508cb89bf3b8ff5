import Foundation

/// The body of an RFC 8058 one-click POST: `List-Unsubscribe=One-Click`, sent as
/// `application/x-www-form-urlencoded` or, as the RFC prefers, `multipart/form-data`.
struct OneClickForm: Sendable, Equatable {
    /// The form's fields, names and values decoded.
    let fields: [String: String]

    /// Reads the body by its `Content-Type` (URL-encoded when none is given); nil when it cannot be read.
    init?(body: [UInt8], contentType: String?) {
        let type = contentType.map(MediaTypeValue.init(parsing:))
        if type?.essence == "multipart/form-data" {
            guard let contentType else { return nil }
            let entity = ReceivedMessage(bytes: Array("Content-Type: \(contentType)\r\n\r\n".utf8) + body)
            var fields: [String: String] = [:]
            for part in entity.parts {
                guard let disposition = part.field("Content-Disposition").map(MediaTypeValue.init(parsing:)),
                      let name = disposition.parameters["name"] else { continue }
                fields[name] = part.text.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            self.fields = fields
        } else if type == nil || type?.essence == "application/x-www-form-urlencoded" {
            guard let text = String(validating: body, as: UTF8.self) else { return nil }
            var fields: [String: String] = [:]
            for pair in text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "&") {
                let halves = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let decode = { (text: Substring) in
                    String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(text)
                }
                fields[decode(halves[0])] = halves.count > 1 ? decode(halves[1]) : ""
            }
            self.fields = fields
        } else {
            return nil
        }
    }

    /// Whether it says `List-Unsubscribe=One-Click`.
    var isOneClick: Bool { fields["List-Unsubscribe"] == "One-Click" }

    /// Whether it came from the endpoint's own page (its button adds `via=page`).
    var fromPage: Bool { fields["via"] == "page" }
}
