import Foundation

/// A delivery status notification (RFC 3464): the `message/delivery-status` part of a
/// `multipart/report; report-type=delivery-status`, read into its per-recipient fields.
struct DeliveryStatusReport: Sendable {
    /// One per-recipient block (RFC 3464 §2.3).
    struct RecipientStatus: Sendable, Equatable {
        var finalRecipient: String?
        var originalRecipient: String?
        /// `failed`, `delayed`, `delivered`, `relayed` or `expanded`, lowercased.
        var action: String?
        /// The enhanced status code (RFC 3463), such as `5.1.1`.
        var status: String?
        /// The remote server's words, without the `smtp;` type.
        var diagnostic: String?
    }

    /// `Reporting-MTA`, without its `dns;` type.
    var reportingMTA: String?
    var recipients: [RecipientStatus]

    /// Reads the report in `message`, or nil when it holds no delivery-status part. The part may sit anywhere
    /// in the MIME tree (some servers nest it); `message/global-delivery-status` (RFC 6533) is read the same way.
    init?(_ message: ReceivedMessage) {
        let kinds = ["message/delivery-status", "message/global-delivery-status"]
        guard let part = message.allParts.first(where: { kinds.contains($0.contentType.essence) }) else { return nil }
        let blocks = DeliveryStatusReport.blocks(part.decodedBody)
        guard let first = blocks.first else { return nil }
        reportingMTA = first.field("Reporting-MTA").map(BounceAddress.bare)
        recipients = blocks.dropFirst().map { block in
            RecipientStatus(
                finalRecipient: block.field("Final-Recipient").map(BounceAddress.bare),
                originalRecipient: block.field("Original-Recipient").map(BounceAddress.bare),
                action: block.field("Action")?.lowercased().trimmingCharacters(in: .whitespaces),
                status: block.field("Status").flatMap(StatusCode.enhanced(in:)),
                diagnostic: block.field("Diagnostic-Code").map(DeliveryStatusReport.words))
        }
        // A per-message block alone, or blocks without any recipient field: not a report to act on.
        recipients = recipients.filter { $0.finalRecipient != nil || $0.status != nil || $0.action != nil }
    }

    /// The groups of fields separated by blank lines (RFC 3464 §2.1), each read as a header.
    private static func blocks(_ bytes: [UInt8]) -> [ReceivedMessage] {
        var blocks: [ReceivedMessage] = []
        var current: [UInt8] = []
        for line in bytes.split(separator: 10, omittingEmptySubsequences: false) {
            let isBlank = line.allSatisfy { $0 == 13 || $0 == 32 || $0 == 9 }
            if isBlank {
                if !current.isEmpty { blocks.append(ReceivedMessage(bytes: current)) }
                current = []
            } else {
                current += line + [10]
            }
        }
        if !current.isEmpty { blocks.append(ReceivedMessage(bytes: current)) }
        return blocks.filter { !$0.fields.isEmpty }
    }

    /// A `Diagnostic-Code` value without its type (`smtp;`), on one line with single spaces.
    static func words(_ value: String) -> String {
        var text = Substring(value)
        if let semicolon = text.firstIndex(of: ";"), text[..<semicolon].allSatisfy({ $0.isLetter || $0 == "-" }) {
            text = text[text.index(after: semicolon)...]
        }
        return text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}

/// SMTP reply codes (RFC 5321 §4.2) and enhanced status codes (RFC 3463) found in text.
enum StatusCode {
    /// What a code says about delivery.
    enum Class: Sendable, Equatable {
        case success
        case temporary
        case permanent
    }

    /// The first enhanced status code (`5.1.1`, `4.4.7`, `5.1.10`) in `text`, or nil.
    static func enhanced(in text: String) -> String? {
        for word in text.split(whereSeparator: { !($0.isNumber || $0 == ".") }) {
            let pieces = word.split(separator: ".", omittingEmptySubsequences: false)
            guard pieces.count == 3, let first = pieces.first, ["2", "4", "5"].contains(first),
                  pieces.dropFirst().allSatisfy({ (1...3).contains($0.count) && $0.allSatisfy(\.isNumber) }) else { continue }
            return String(word)
        }
        return nil
    }

    /// The class of an enhanced status code or SMTP reply code by its first digit.
    static func classOf(_ code: some StringProtocol) -> Class? {
        switch code.first {
        case "2": .success
        case "4": .temporary
        case "5": .permanent
        default: nil
        }
    }

    /// The first line of `text` that carries an SMTP reply code (`550 ...`, `550-5.1.1 ...`) or an enhanced
    /// status code, with that code's class: how a bounce that is not a proper report is read.
    static func firstReply(in text: String) -> (line: String, class: Class)? {
        for line in text.split(whereSeparator: \.isNewline) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            let digits = trimmed.prefix(3)
            if digits.count == 3, digits.allSatisfy(\.isNumber), let kind = classOf(digits), kind != .success,
               trimmed.dropFirst(3).first.map({ $0 == " " || $0 == "-" }) ?? true {
                return (trimmed, kind)
            }
            if let code = enhanced(in: trimmed), let kind = classOf(code), kind != .success {
                return (trimmed, kind)
            }
        }
        return nil
    }
}
