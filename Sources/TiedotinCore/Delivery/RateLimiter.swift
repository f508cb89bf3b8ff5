import Foundation
import Synchronization

/// `mail.rate`: never more than `per_minute` hand-offs in any 60 seconds across all connections,
/// and never more than `per_day` in any rolling 24 hours. Shared by every delivery thread.
///
/// It starts from the hand-offs the outbox remembers, so a restart does not reset the caps.
/// When the relay asks us to slow down, the sender pauses and halves its pace for a while.
final class RateLimiter: Sendable {
    /// What a thread may do now.
    enum Decision: Equatable {
        /// Hand the message over; the hand-off is counted at `at`.
        case go(at: Date)
        case wait(until: Date)
        case dailyCapReached(until: Date)
    }

    private struct State {
        var minute: HandoffWindow
        var day: HandoffWindow
        var pausedUntil: Date?
        var slowedUntil: Date?
        var slowedPerMinute: Int?
        /// The latest moment a hand-off was counted at in this process.
        var latest: Date
    }

    let perMinute: Int
    let perDay: Int
    private let state: Mutex<State>

    init(perMinute: Int, perDay: Int, history: [Date], now: Date) {
        self.perMinute = perMinute
        self.perDay = perDay
        state = Mutex(State(
            minute: HandoffWindow(length: 60, history: history, now: now),
            day: HandoffWindow(length: 86_400, history: history, now: now),
            latest: now))
    }

    /// Asks to hand one message to the relay at `now`; on `.go` the hand-off is counted, at the
    /// moment it names.
    func acquire(now asked: Date) -> Decision {
        state.withLock { state in
            // Time only moves forward here. A thread that read the clock just before another thread
            // went (and the other's ask has already let the oldest hand-offs age out) must not slot
            // its hand-off in behind, into a minute that is already full: it counts as going now.
            let now = max(asked, state.latest)
            state.latest = now
            state.minute.forget(before: now)
            state.day.forget(before: now)
            if let paused = state.pausedUntil, paused > now { return .wait(until: paused) }
            if let slowedUntil = state.slowedUntil, slowedUntil <= now {
                state.slowedUntil = nil
                state.slowedPerMinute = nil
            }
            if perDay > 0, state.day.count >= perDay, let oldest = state.day.oldest {
                return .dailyCapReached(until: oldest.addingTimeInterval(86_400))
            }
            let minuteCap = state.slowedPerMinute ?? (perMinute > 0 ? perMinute : Int.max)
            if state.minute.count >= minuteCap {
                let index = state.minute.count - minuteCap
                return .wait(until: state.minute[index].addingTimeInterval(60))
            }
            state.minute.append(now)
            state.day.append(now)
            return .go(at: now)
        }
    }

    /// Gives back the hand-off `acquire` counted at `time` when the message never reached the relay
    /// (it could not be reached at all): the caps count messages handed to the relay, not attempts.
    func refund(_ time: Date) {
        state.withLock { state in
            state.minute.remove(time)
            state.day.remove(time)
        }
    }

    /// The relay said "slow down": pause everyone for `pause`, then send at half the recent pace for ten minutes.
    func slowDown(now: Date, pause: TimeInterval) {
        state.withLock { state in
            state.pausedUntil = max(state.pausedUntil ?? now, now.addingTimeInterval(pause))
            // Half the pace we were allowed or, with no cap, half of what we just did (at least ten a minute:
            // a relay that throttles a handful of messages wants a pause, not a crawl).
            state.minute.forget(before: now)
            let recent = state.minute.count
            let current = state.slowedPerMinute ?? (perMinute > 0 ? perMinute : max(recent, 20))
            state.slowedPerMinute = max(perMinute > 0 ? 1 : 10, current / 2)
            state.slowedUntil = now.addingTimeInterval(pause + 600)
        }
    }

    /// The caps' state for `outbox status`.
    func snapshot(now: Date) -> RateSnapshot {
        state.withLock { state in
            state.minute.forget(before: now)
            state.day.forget(before: now)
            let minute = state.minute, day = state.day
            var heldUntil: Date?
            if perDay > 0, day.count >= perDay { heldUntil = day.oldest?.addingTimeInterval(86_400) }
            if perMinute > 0, minute.count >= perMinute {
                heldUntil = max(heldUntil ?? .distantPast, minute[minute.count - perMinute].addingTimeInterval(60))
            }
            if let paused = state.pausedUntil, paused > now { heldUntil = max(heldUntil ?? .distantPast, paused) }
            return RateSnapshot(
                perMinute: perMinute, perDay: perDay, lastMinute: minute.count, lastDay: day.count,
                heldUntil: heldUntil, slowedTo: state.slowedPerMinute)
        }
    }
}

/// The rate caps as `outbox status` shows them.
public struct RateSnapshot: Sendable, Equatable {
    public var perMinute: Int
    public var perDay: Int
    /// Hand-offs in the last 60 seconds and the last 24 hours.
    public var lastMinute: Int
    public var lastDay: Int
    /// When a cap holds mail back, until when.
    public var heldUntil: Date?
    /// The per-minute pace the relay's throttling answers brought us down to, if any.
    public var slowedTo: Int?
}
