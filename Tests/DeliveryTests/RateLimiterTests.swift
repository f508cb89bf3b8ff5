import Foundation
import Testing
@testable import TiedotinCore

/// `mail.rate` and `mail.retry` as tables of inputs and what must come out.
@Suite struct RateLimiterTests {
    static let start = Date(timeIntervalSince1970: 1_795_000_000)

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var perMinute: Int
        var perDay: Int
        /// Seconds after `start` of earlier hand-offs the outbox remembers.
        var history: [TimeInterval]
        /// Seconds after `start` at which a thread asks.
        var asks: [TimeInterval]
        /// What each ask gets: "go", "go N" (counted at N seconds after start, not when it asked),
        /// "wait N", "day N".
        var decisions: [String]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "no caps: everything goes", perMinute: 0, perDay: 0, history: [], asks: [0, 0, 0, 0], decisions: ["go", "go", "go", "go"]),
        Case(name: "3 a minute: the fourth waits for the first to age out", perMinute: 3, perDay: 0, history: [],
             asks: [0, 1, 2, 3], decisions: ["go", "go", "go", "wait 60"]),
        Case(name: "the minute window slides", perMinute: 2, perDay: 0, history: [],
             asks: [0, 30, 59.9, 60, 89.9, 90], decisions: ["go", "go", "wait 60", "go", "wait 90", "go"]),
        Case(name: "history from before a restart counts", perMinute: 2, perDay: 0, history: [-30, -10],
             asks: [0, 30], decisions: ["wait 30", "go"]),
        Case(name: "the day's cap holds until the oldest is a day old", perMinute: 0, perDay: 2, history: [-3600],
             asks: [0, 10], decisions: ["go", "day 82800"]),
        Case(name: "hand-offs older than a day are forgotten", perMinute: 0, perDay: 1, history: [-86_400],
             asks: [0], decisions: ["go"]),
        // Four threads: one read the clock at 15 but asks only after another went at 70, which let 0 and 10
        // age out. Counted at 15 it would make five hand-offs in the minute from 0; it counts at 70.
        Case(name: "an ask that read the clock before another thread went counts when it goes", perMinute: 4, perDay: 0,
             history: [], asks: [0, 10, 20, 30, 70, 15, 16], decisions: ["go", "go", "go", "go", "go", "go 70", "wait 80"]),
    ]

    static func describe(_ decision: RateLimiter.Decision, askedAt asked: TimeInterval) -> String {
        switch decision {
        case .go(let at): at == start.addingTimeInterval(asked) ? "go" : "go \(Int(at.timeIntervalSince(start)))"
        case .wait(let until): "wait \(Int(until.timeIntervalSince(start)))"
        case .dailyCapReached(let until): "day \(Int(until.timeIntervalSince(start)))"
        }
    }

    @Test(arguments: cases)
    func decisions(_ row: Case) {
        let limiter = RateLimiter(
            perMinute: row.perMinute, perDay: row.perDay, history: row.history.map { Self.start.addingTimeInterval($0) },
            now: Self.start)
        let got = row.asks.map { Self.describe(limiter.acquire(now: Self.start.addingTimeInterval($0)), askedAt: $0) }
        #expect(got == row.decisions)
    }

    @Test func aRefundedHandOffFreesItsPlace() {
        let limiter = RateLimiter(perMinute: 1, perDay: 1, history: [], now: Self.start)
        #expect(limiter.acquire(now: Self.start) == .go(at: Self.start))
        limiter.refund(Self.start)
        #expect(limiter.snapshot(now: Self.start).lastMinute == 0)
        #expect(limiter.snapshot(now: Self.start).lastDay == 0)
        #expect(limiter.acquire(now: Self.start.addingTimeInterval(1)) == .go(at: Self.start.addingTimeInterval(1)))
    }

    static let slowdowns: [(perMinute: Int, recent: Int, slowedTo: Int)] = [(0, 20, 10), (30, 30, 15), (4, 4, 2), (1, 1, 1)]

    @Test(arguments: slowdowns)
    func slowingDownPausesThenHalvesThePace(perMinute: Int, recent: Int, slowedTo: Int) {
        let limiter = RateLimiter(perMinute: perMinute, perDay: 0, history: [], now: Self.start)
        for index in 0..<recent { _ = limiter.acquire(now: Self.start.addingTimeInterval(Double(index) * 0.01)) }
        let now = Self.start.addingTimeInterval(1)
        limiter.slowDown(now: now, pause: 60)
        #expect(limiter.acquire(now: now) == .wait(until: now.addingTimeInterval(60)))
        #expect(limiter.snapshot(now: now).slowedTo == slowedTo)
    }
}

/// `mail.retry`: first, then doubling, at most max_interval; given up after give_up_after.
@Suite struct RetryPolicyTests {
    static let policy = RetryPolicy(.init(first: .seconds(60), maxInterval: .seconds(3600), giveUpAfter: .seconds(3 * 86_400)))

    static let delays: [(attempt: Int, seconds: TimeInterval)] = [
        (1, 60), (2, 120), (3, 240), (4, 480), (5, 960), (6, 1920), (7, 3600), (8, 3600), (1000, 3600), (0, 60),
    ]

    @Test(arguments: delays)
    func delay(afterAttempt attempt: Int, seconds: TimeInterval) {
        #expect(Self.policy.delay(afterAttempt: attempt) == seconds)
    }

    static let waits: [(seconds: TimeInterval, givesUp: Bool)] = [
        (0, false), (86_400, false), (3 * 86_400 - 1, false), (3 * 86_400, true), (4 * 86_400, true),
    ]

    @Test(arguments: waits)
    func givesUp(afterWaiting seconds: TimeInterval, expected: Bool) {
        let queued = Date(timeIntervalSince1970: 1_795_000_000)
        #expect(Self.policy.givesUp(queuedAt: queued, now: queued.addingTimeInterval(seconds)) == expected)
    }
}
