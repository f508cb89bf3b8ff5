import Foundation

/// What delivery should do after one attempt. The rules follow RFC 5321 §4.2.1 (2yz done,
/// 4yz try again, 5yz do not) with the refinements a relay in real life needs.
enum DeliveryVerdict: Sendable, Equatable {
    /// The relay took the message.
    case sent
    /// Try this message again later (4xx, a dropped connection, a timeout).
    case temporary
    /// The relay closed the session (421): try again later and let this connection rest.
    case sessionClosed
    /// The relay asks us to slow down (Microsoft 365's `432 4.3.2`, `4.7.x` rate answers).
    case throttled
    /// This recipient will never get it (5xx); `addressUnknown` when the address itself is bad.
    case permanent(addressUnknown: Bool)
    /// The relay cannot be used at all right now (unreachable, TLS or login problems): every
    /// message would fail the same way, so all wait. The text tells the admin what to do.
    case relayUnusable(String)
}

/// Turns a transport outcome into a verdict and the answer to keep.
struct FailureClassifier: Sendable {
    /// The relay, for messages (`smtp://mail.example.fi:587`).
    var destination: String

    func classify(_ outcome: TransportOutcome) -> DeliveryVerdict {
        let code = outcome.replyCode
        if let problem = outcome.transportProblem { return .relayUnusable(problem) }
        guard let failure = outcome.failure else {
            return (200..<300).contains(code) || code == 0 ? .sent : .temporary
        }
        if failure == .unsendableAddress { return .permanent(addressUnknown: false) }
        if let problem = relayProblem(outcome) { return .relayUnusable(problem) }
        if code == 421 { return .sessionClosed }
        if (400..<500).contains(code) {
            return isThrottling(outcome) ? .throttled : .temporary
        }
        if (500..<600).contains(code) {
            switch outcome.stage {
            case .recipient:
                return .permanent(addressUnknown: isUnknownAddress(outcome))
            case .mailFrom, .data:
                return .permanent(addressUnknown: false)
            default:
                return .relayUnusable("the relay \(destination) refused the session: \(answer(outcome))")
            }
        }
        // No reply code: a dropped connection or a timeout in the middle of a message.
        return .temporary
    }

    /// The text kept as "the server's answer": its own reply line, else the transport's words.
    func answer(_ outcome: TransportOutcome) -> String {
        if let reply = outcome.reply, outcome.replyCode >= 400 || outcome.failure == nil { return reply }
        if outcome.replyCode >= 400 { return "\(outcome.replyCode) (no text)" }
        return outcome.detail.isEmpty ? "no answer from the relay" : outcome.detail
    }

    private func relayProblem(_ outcome: TransportOutcome) -> String? {
        let said = answer(outcome)
        let beforeMail = outcome.stage == nil || outcome.stage == .connect || outcome.stage == .greeting
        switch outcome.failure {
        case .cannotResolve:
            return "cannot resolve the relay's host name in \(destination) (\(said)); check mail.smtp.url"
        case .cannotConnect:
            return "cannot connect to the relay \(destination) (\(said)); is it running and reachable? Messages wait and are retried"
        case .tlsNotOffered:
            return "the relay \(destination) does not offer STARTTLS, and mail.smtp.starttls is required: nothing was sent, the messages wait. Fix the relay's TLS, or if the network to it is trusted set mail.smtp.starttls to opportunistic"
        case .tls:
            return "the TLS handshake with the relay \(destination) failed (\(said)); check mail.smtp.ca_file and the relay's certificate"
        case .loginRefused:
            return "the relay \(destination) refused the login (\(said)); check mail.smtp.username and the password file"
        case .timedOut where beforeMail:
            return "the relay \(destination) did not answer in time (\(said)); messages wait and are retried"
        default:
            break
        }
        if [530, 534, 535, 538].contains(outcome.replyCode) {
            return "the relay \(destination) requires or refused authentication: \(said); check mail.smtp.auth, username and password"
        }
        if outcome.failure == .connectionDropped, beforeMail || outcome.stage == .startTLS {
            return "the relay \(destination) closed the connection before the mail could start (\(said)); messages wait and are retried"
        }
        return nil
    }
    private func isThrottling(_ outcome: TransportOutcome) -> Bool {
        if outcome.replyCode == 432 { return true }
        let text = (outcome.reply ?? "").lowercased()
        if text.contains(" 4.7.") || text.hasPrefix("4.7.") {
            return true
        }
        return ["rate limit", "throttl", "too many", "slow down", "try again later"].contains { text.contains($0) }
            && !text.contains("too many recipients")
    }

    private func isUnknownAddress(_ outcome: TransportOutcome) -> Bool {
        let text = (outcome.reply ?? "").lowercased()
        if text.contains(" 5.1.") { return true }
        if [550, 551, 553].contains(outcome.replyCode) {
            return ["unknown", "no such", "does not exist", "not found", "invalid recipient", "unavailable"]
                .contains { text.contains($0) }
        }
        return false
    }
}
