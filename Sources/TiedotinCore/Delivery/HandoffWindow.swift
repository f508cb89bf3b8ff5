import Foundation

/// The hand-offs of the last `length` seconds, oldest first: a queue that forgets what ages out.
///
/// Dropping from the front moves a start index instead of shifting the array, so counting
/// 10,000 hand-offs a minute stays cheap.
struct HandoffWindow: Sendable {
    let length: TimeInterval
    private var times: [Date] = []
    private var start = 0

    init(length: TimeInterval, history: [Date] = [], now: Date) {
        self.length = length
        times = history.filter { now.timeIntervalSince($0) < length }
    }

    /// How many hand-offs the window holds.
    var count: Int { times.count - start }

    /// The oldest hand-off still in the window.
    var oldest: Date? { start < times.count ? times[start] : nil }

    /// The hand-off `offset` places from the oldest.
    subscript(offset: Int) -> Date { times[start + offset] }

    mutating func forget(before now: Date) {
        while start < times.count, now.timeIntervalSince(times[start]) >= length { start += 1 }
        if start > 1024, start * 2 > times.count {
            times.removeFirst(start)
            start = 0
        }
    }

    mutating func append(_ time: Date) {
        times.append(time)
    }

    /// Takes back one hand-off at `time` (the newest such), if the window still holds it.
    mutating func remove(_ time: Date) {
        guard let index = times[start...].lastIndex(of: time) else { return }
        times.remove(at: index)
    }
}
