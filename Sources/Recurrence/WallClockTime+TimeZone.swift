import Foundation

extension WallClockTime {
    /// The instant this wall-clock time names in `timeZone`, read as RFC 5545 §3.3.5 reads a
    /// DATE-TIME with a time zone reference:
    ///
    /// - a time that occurs twice, in the hour repeated when daylight-saving time ends, is the first
    ///   of the two ("TZID=America/New_York:20071104T013000 indicates ... 1:30 A.M. EDT");
    /// - a time that does not occur, in the hour skipped when daylight-saving time begins, is
    ///   "interpreted using the UTC offset before the gap", so it lands the length of the gap later
    ///   (03:30 on the last Sunday of March in Helsinki is 04:30 EEST).
    public func date(in timeZone: TimeZone) -> Date {
        let wallSeconds = secondsSinceEpoch
        func offset(atUTCSeconds seconds: Int) -> Int {
            timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds)))
        }
        // Every UTC offset in force within a day either side; real zones change offset at most
        // once in that span, so these are the offsets before and after any change near this time.
        var offsets: [Int] = []
        for probe in [-86_400, 0, 86_400] {
            let candidate = offset(atUTCSeconds: wallSeconds + probe)
            if !offsets.contains(candidate) { offsets.append(candidate) }
        }
        let instants = offsets.map { wallSeconds - $0 }.filter { offset(atUTCSeconds: $0) == wallSeconds - $0 }
        if let first = instants.min() {
            return Date(timeIntervalSince1970: TimeInterval(first))
        }
        // In a gap the offset grows, so the offset before the gap is the smaller one.
        let before = (offsets + offsets.map { offset(atUTCSeconds: wallSeconds - $0) }).min() ?? 0
        return Date(timeIntervalSince1970: TimeInterval(wallSeconds - before))
    }
}
