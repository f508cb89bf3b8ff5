import Foundation

/// A row taken for sending.
struct ClaimedMessage: Sendable {
    var id: Int64
    var bodyID: Int64
    var recipient: String
    var envelopeSender: String
    var header: [UInt8]
    var substitutions: String?
    var attempts: Int
    var queuedAt: Date
    /// When the row fell due (`next_attempt_at`): where the round's next claim starts after it.
    var dueAt: Double
}

/// What became of one attempt, as written back.
struct AttemptResult: Sendable {
    enum Verdict: Sendable {
        case sent
        case deferred(until: Date)
        case failed(addressUnknown: Bool)
    }

    var id: Int64
    /// The row's attempts before this one: a result is applied only to the attempt it belongs to.
    var attemptsBefore: Int
    var recipient: String
    var verdict: Verdict
    /// Whether the message reached the relay; only such attempts count against `mail.rate`.
    var handedOff: Bool
    var code: Int?
    var answer: String
    var at: Date
}
