/// Where one message (one recipient) stands in the outbox. Like Postfix's queue directories.
public enum OutboxState: String, Sendable, CaseIterable, Codable {
    /// Waiting for its turn.
    case queued
    /// Handed to a connection; set before the bytes go, so a crash leaves a trace.
    case sending
    /// The relay answered 2xx after the data.
    case sent
    /// A temporary failure; tried again at `next_attempt_at`.
    case deferred
    /// A permanent failure, or given up after `mail.retry.give_up_after`.
    case failed
}

/// How many messages are in each state: the `COUNTS` of the JSON contract.
public struct OutboxCounts: Sendable, Equatable, Codable {
    public var queued = 0
    public var deferred = 0
    public var sending = 0
    public var sent = 0
    public var failed = 0

    public init() {}

    /// Messages not yet finished one way or the other.
    public var pending: Int { queued + deferred + sending }
    public var total: Int { pending + sent + failed }

    subscript(state: OutboxState) -> Int {
        get {
            switch state {
            case .queued: queued
            case .sending: sending
            case .sent: sent
            case .deferred: deferred
            case .failed: failed
            }
        }
        set {
            switch state {
            case .queued: queued = newValue
            case .sending: sending = newValue
            case .sent: sent = newValue
            case .deferred: deferred = newValue
            case .failed: failed = newValue
            }
        }
    }
}
