import Foundation
import Synchronization

/// A token bucket per client: `burst` requests at once, then `perMinute` a minute. Bounded in memory:
/// clients not seen for ten minutes are forgotten once `maxClients` are tracked.
final class ClientRateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: Date
    }

    let burst: Int
    let perMinute: Int
    let maxClients: Int
    private let buckets = Mutex<[String: Bucket]>([:])

    init(burst: Int, perMinute: Int, maxClients: Int = 10_000) {
        self.burst = burst
        self.perMinute = perMinute
        self.maxClients = maxClients
    }

    /// Takes one request from `client`'s bucket; false when it is empty (answer 429).
    func allow(_ client: String, now: Date) -> Bool {
        buckets.withLock { buckets in
            let rate = Double(perMinute) / 60
            var bucket = buckets[client] ?? Bucket(tokens: Double(burst), updated: now)
            bucket.tokens = min(Double(burst), bucket.tokens + max(0, now.timeIntervalSince(bucket.updated)) * rate)
            bucket.updated = now
            let allowed = bucket.tokens >= 1
            if allowed { bucket.tokens -= 1 }
            buckets[client] = bucket
            if buckets.count > maxClients {
                buckets = buckets.filter { now.timeIntervalSince($0.value.updated) < 600 }
                if buckets.count > maxClients { buckets = [client: bucket] }
            }
            return allowed
        }
    }

    /// Seconds until `client` may ask again (for `Retry-After`).
    var retryAfter: Int { max(1, Int((60 / Double(max(perMinute, 1))).rounded(.up))) }
}
