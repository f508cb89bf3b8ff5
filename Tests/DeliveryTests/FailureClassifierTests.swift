import Testing
@testable import TiedotinCore

/// What delivery does after each kind of transport outcome (RFC 5321 §4.2.1: 2yz done, 4yz again,
/// 5yz never), one row per case a relay or the network produces.
@Suite struct FailureClassifierTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var outcome: TransportOutcome
        var verdict: Verdict

        /// The verdict without the relay problem's text, which the second table checks.
        enum Verdict: Equatable { case sent, temporary, sessionClosed, throttled, permanent(addressUnknown: Bool), relayUnusable }

        var testDescription: String { name }
    }

    static func refused(_ code: Int, _ text: String, at stage: SMTPStage) -> TransportOutcome {
        TransportOutcome(failure: .refused, replyCode: code, reply: "\(code) \(text)", stage: stage)
    }

    static let cases: [Case] = [
        Case(name: "250 after the data", outcome: .accepted(reply: "250 2.0.0 Ok: queued as 4F2"), verdict: .sent),
        Case(name: "completed without a reply code", outcome: TransportOutcome(failure: nil, stage: .data), verdict: .sent),
        Case(name: "451 after the data", outcome: refused(451, "4.3.0 Temporary local problem", at: .data), verdict: .temporary),
        Case(name: "450 at RCPT (greylisting)", outcome: refused(450, "4.2.0 Greylisted, try again", at: .recipient), verdict: .temporary),
        Case(name: "421 closes the session", outcome: refused(421, "4.3.2 Service shutting down", at: .mailFrom), verdict: .sessionClosed),
        Case(name: "432 4.3.2 (Microsoft 365)", outcome: refused(432, "4.3.2 Concurrent connections limit exceeded", at: .mailFrom), verdict: .throttled),
        Case(name: "450 4.7.0 rate answer", outcome: refused(450, "4.7.0 Rate limit exceeded", at: .mailFrom), verdict: .throttled),
        Case(name: "452 too many recipients is no throttle", outcome: refused(452, "Too many recipients", at: .recipient), verdict: .temporary),
        Case(name: "550 5.1.1 user unknown", outcome: refused(550, "5.1.1 <x@example.fi>: User unknown", at: .recipient), verdict: .permanent(addressUnknown: true)),
        Case(name: "550 mailbox unavailable without an enhanced code", outcome: refused(550, "Mailbox unavailable", at: .recipient), verdict: .permanent(addressUnknown: true)),
        Case(name: "550 5.7.1 relay denied is not an unknown address", outcome: refused(550, "5.7.1 Relay access denied", at: .recipient), verdict: .permanent(addressUnknown: false)),
        Case(name: "552 after the data", outcome: refused(552, "5.3.4 Message too big", at: .data), verdict: .permanent(addressUnknown: false)),
        Case(name: "553 at MAIL", outcome: refused(553, "5.1.8 Sender address rejected", at: .mailFrom), verdict: .permanent(addressUnknown: false)),
        Case(name: "554 at the greeting", outcome: refused(554, "No SMTP service here", at: .connect), verdict: .relayUnusable),
        Case(name: "535 login refused by its reply", outcome: refused(535, "5.7.8 Authentication credentials invalid", at: .authentication), verdict: .relayUnusable),
        Case(name: "login refused with a 334 challenge", outcome: TransportOutcome(failure: .loginRefused, replyCode: 334, reply: "334 eyJzdGF0dXMiOiI0MDEifQ==", stage: .authentication), verdict: .relayUnusable),
        Case(name: "host name does not resolve", outcome: TransportOutcome(failure: .cannotResolve, detail: "could not resolve host", stage: nil), verdict: .relayUnusable),
        Case(name: "connection refused", outcome: TransportOutcome(failure: .cannotConnect, detail: "connection refused", stage: nil), verdict: .relayUnusable),
        Case(name: "STARTTLS not offered", outcome: TransportOutcome(failure: .tlsNotOffered, stage: .greeting), verdict: .relayUnusable),
        Case(name: "certificate not trusted", outcome: TransportOutcome(failure: .tls, detail: "certificate verify failed", stage: .startTLS), verdict: .relayUnusable),
        Case(name: "no greeting in time", outcome: TransportOutcome(failure: .timedOut, stage: .connect), verdict: .relayUnusable),
        Case(name: "timed out in the data", outcome: TransportOutcome(failure: .timedOut, stage: .data), verdict: .temporary),
        Case(name: "dropped before the greeting", outcome: TransportOutcome(failure: .connectionDropped, stage: nil), verdict: .relayUnusable),
        Case(name: "dropped at STARTTLS", outcome: TransportOutcome(failure: .connectionDropped, stage: .startTLS), verdict: .relayUnusable),
        Case(name: "dropped in the data", outcome: TransportOutcome(failure: .connectionDropped, stage: .data), verdict: .temporary),
        Case(name: "an address no ASCII envelope can carry", outcome: TransportOutcome(failure: .unsendableAddress, stage: nil), verdict: .permanent(addressUnknown: false)),
        Case(name: "a Maildir that cannot be written", outcome: refused(451, "cannot write to the Maildir", at: .data), verdict: .temporary),
    ]

    @Test(arguments: cases)
    func verdict(_ row: Case) {
        let verdict: Case.Verdict = switch FailureClassifier(destination: "smtp://mail.example.fi:587").classify(row.outcome) {
        case .sent: .sent
        case .temporary: .temporary
        case .sessionClosed: .sessionClosed
        case .throttled: .throttled
        case .permanent(let unknown): .permanent(addressUnknown: unknown)
        case .relayUnusable: .relayUnusable
        }
        #expect(verdict == row.verdict)
    }

    /// A relay problem tells the admin which key to look at.
    static let advice: [(TransportOutcome.Failure, String)] = [
        (.cannotResolve, "check mail.smtp.url"),
        (.cannotConnect, "is it running and reachable?"),
        (.tlsNotOffered, "mail.smtp.starttls"),
        (.tls, "mail.smtp.ca_file"),
        (.loginRefused, "mail.smtp.username and the password file"),
    ]

    @Test(arguments: advice)
    func relayProblemsNameWhatToFix(failure: TransportOutcome.Failure, advice: String) {
        let outcome = TransportOutcome(failure: failure, detail: "detail", stage: .connect)
        guard case .relayUnusable(let problem) = FailureClassifier(destination: "smtp://mail.example.fi:587").classify(outcome) else {
            Issue.record("\(failure) is not a relay problem")
            return
        }
        #expect(problem.contains(advice))
        #expect(problem.contains("smtp://mail.example.fi:587"))
    }

    /// The answer kept is the server's own line where there is one, else the transport's words.
    static let answers: [(TransportOutcome, String)] = [
        (refused(550, "5.1.1 User unknown", at: .recipient), "550 5.1.1 User unknown"),
        (TransportOutcome(failure: .refused, replyCode: 451, reply: nil, stage: .data), "451 (no text)"),
        (TransportOutcome(failure: .connectionDropped, detail: "Connection reset by peer", stage: .data), "Connection reset by peer"),
        (TransportOutcome(failure: .timedOut, stage: .data), "no answer from the relay"),
        (TransportOutcome.accepted(reply: "250 2.0.0 Ok"), "250 2.0.0 Ok"),
    ]

    @Test(arguments: answers)
    func answerKept(outcome: TransportOutcome, answer: String) {
        #expect(FailureClassifier(destination: "smtp://mail.example.fi:587").answer(outcome) == answer)
    }
}
