import Foundation
import Logging

/// Decides what a message in the bounce Maildir means. The VERP tag decides whom it is about (the
/// address the message went to, which a stranger cannot forge); the report decides what happened.
struct BounceJudge: Sendable {
    let store: Store
    /// `mail.bounces.address`, whose `+TAG` variants the bounces are addressed to.
    let bounceAddress: String

    /// The headers a mail server writes the envelope recipient into, most reliable first.
    private static let deliveryFields = ["Delivered-To", "X-Original-To", "Envelope-To", "X-Envelope-To", "To"]

    func judge(_ message: ReceivedMessage, at date: Date) throws -> ReturnedMailVerdict {
        let tag = BounceJudge.deliveryFields.lazy.flatMap { message.fields($0) }
            .compactMap { BounceAddress.tag(in: $0, bounceAddress: bounceAddress) }.first
        let tagged = try tag.flatMap { try store.address(forToken: $0) }
        let report = DeliveryStatusReport(message)
        guard let (kind, words, reported) = finding(report: report, message: message, tagged: tagged) else {
            if AutoReply.recognises(message) {
                return ReturnedMailVerdict(outcome: .autoReply, emailKey: tagged, detail: "an automatic reply, ignored")
            }
            return ReturnedMailVerdict(
                outcome: .keptForAdmin, emailKey: tagged,
                detail: report == nil ? "neither a delivery report nor an automatic reply; read it" : "a delivery report that names no outcome; read it")
        }
        switch kind {
        case .success:
            return ReturnedMailVerdict(outcome: .report, emailKey: tagged ?? reported, detail: "a report of delivery: \(words)")
        case .temporary:
            return ReturnedMailVerdict(outcome: .temporary, emailKey: tagged ?? reported, detail: words)
        case .permanent:
            guard let tagged else {
                let why = tag == nil ? "it carries no VERP tag" : "its VERP tag is not one the service gave out"
                return ReturnedMailVerdict(
                    outcome: .keptForAdmin, emailKey: reported,
                    detail: "a permanent failure for \(reported ?? "an unnamed address") (\(words)), but \(why), so it is not trusted; "
                        + "if it is genuine, remove the address with `tiedotin members remove`")
            }
            let member = try store.markUndeliverable(emailKey: tagged, answer: words, at: date)
            return ReturnedMailVerdict(outcome: .permanent, emailKey: tagged, detail: member ? words : words + " (not a member now)")
        }
    }

    /// What the message reports: the class, the server's words and the address the report names. From the
    /// report's worst recipient when it names an outcome; else, for a bounce that carries our tag, from the
    /// first SMTP reply in its text (a garbled or non-standard bounce).
    private func finding(
        report: DeliveryStatusReport?, message: ReceivedMessage, tagged: String?
    ) -> (StatusCode.Class, String, String?)? {
        if let report {
            let judged = report.recipients.compactMap { recipient -> (StatusCode.Class, String, String?)? in
                guard let kind = BounceJudge.classOf(recipient) else { return nil }
                return (kind, BounceJudge.words(recipient, reportingMTA: report.reportingMTA),
                        (recipient.finalRecipient ?? recipient.originalRecipient)?.lowercased())
            }
            let order: [StatusCode.Class] = [.permanent, .temporary, .success]
            if let worst = order.lazy.compactMap({ kind in judged.first { $0.0 == kind } }).first { return worst }
        }
        guard tagged != nil, report != nil || BounceJudge.looksLikeBounce(message) else { return nil }
        let texts = message.allParts.filter { $0.contentType.type == "text" && $0.contentType.subtype != "html" }.map(\.text)
        for text in texts {
            if let reply = StatusCode.firstReply(in: text) {
                return (reply.class, String(reply.line.prefix(500)), nil)
            }
        }
        return nil
    }

    /// The class a recipient's block reports: its `Status`, else the reply code of its `Diagnostic-Code`,
    /// else its `Action`.
    private static func classOf(_ recipient: DeliveryStatusReport.RecipientStatus) -> StatusCode.Class? {
        if let status = recipient.status, let kind = StatusCode.classOf(status) { return kind }
        if let diagnostic = recipient.diagnostic, let kind = StatusCode.classOf(diagnostic.prefix(3)),
           diagnostic.prefix(3).allSatisfy(\.isNumber) {
            return kind
        }
        switch recipient.action {
        case "failed": return .permanent
        case "delayed": return .temporary
        case "delivered", "relayed", "expanded": return .success
        default: return nil
        }
    }

    /// The server's words: its `Diagnostic-Code`, else what the report's fields say.
    private static func words(_ recipient: DeliveryStatusReport.RecipientStatus, reportingMTA: String?) -> String {
        if let diagnostic = recipient.diagnostic, !diagnostic.isEmpty { return String(diagnostic.prefix(500)) }
        let status = recipient.status.map { "status \($0)" } ?? "no status"
        let action = recipient.action.map { " (\($0))" } ?? ""
        return status + action + (reportingMTA.map { " reported by \($0)" } ?? "")
    }

    /// A message from a mailer daemon: the null sender, a daemon's From, or a subject that says delivery failed.
    private static func looksLikeBounce(_ message: ReceivedMessage) -> Bool {
        if message.field("Return-Path").map({ $0.trimmingCharacters(in: .whitespaces) == "<>" }) ?? false { return true }
        let from = message.field("From")?.lowercased() ?? ""
        if from.contains("mailer-daemon") || from.contains("postmaster") { return true }
        let subject = message.subject?.lowercased() ?? ""
        return ["undeliver", "delivery status", "delivery failure", "failure notice", "returned mail", "delivery has failed"]
            .contains { subject.contains($0) }
    }
}

extension MaildirReader {
    /// The reader of `mail.bounces.mailbox`, or nil when none is configured.
    public static func bounces(
        configuration: Configuration, store: Store, logger: Logger, interval: Duration = .seconds(30)
    ) -> MaildirReader? {
        guard let bounces = configuration.mail.bounces, let path = bounces.mailbox else { return nil }
        let judge = BounceJudge(store: store, bounceAddress: bounces.address.address)
        return MaildirReader(mailbox: .bounces, path: path, store: store, logger: logger, interval: interval) { message, date in
            try judge.judge(message, at: date)
        }
    }
}
