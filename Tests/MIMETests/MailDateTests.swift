import Foundation
import MIME
import Testing
import TestSupport

/// RFC 5322 §3.3 date-time.
@Suite struct MailDateTests {
    func date(_ text: String) -> Date {
        ISO8601DateFormatter().date(from: text)!
    }

    @Test("§3.3: day name, day, month, year, time and the zone's numeric offset in winter and summer")
    func helsinki() {
        #expect(MailDate.format(date("2026-11-23T12:50:42Z"), in: Fixtures.helsinki) == "Mon, 23 Nov 2026 14:50:42 +0200")
        #expect(MailDate.format(date("2026-07-01T09:00:00Z"), in: Fixtures.helsinki) == "Wed, 01 Jul 2026 12:00:00 +0300")
        // The night the clocks go back: 03:59:59 summer time, then 03:00:00 winter time.
        #expect(MailDate.format(date("2026-10-25T00:59:59Z"), in: Fixtures.helsinki) == "Sun, 25 Oct 2026 03:59:59 +0300")
        #expect(MailDate.format(date("2026-10-25T01:00:00Z"), in: Fixtures.helsinki) == "Sun, 25 Oct 2026 03:00:00 +0200")
    }

    @Test("§3.3: zones west of Greenwich and half-hour offsets; UTC as +0000")
    func otherZones() {
        let moment = date("2027-02-10T11:00:00Z")
        #expect(MailDate.format(moment, in: TimeZone(identifier: "America/St_Johns")!) == "Wed, 10 Feb 2027 07:30:00 -0330")
        #expect(MailDate.format(moment, in: TimeZone(identifier: "Asia/Kolkata")!) == "Wed, 10 Feb 2027 16:30:00 +0530")
        #expect(MailDate.format(moment, in: TimeZone(identifier: "UTC")!) == "Wed, 10 Feb 2027 11:00:00 +0000")
        #expect(MailDate.format(date("2028-02-29T23:59:59Z"), in: TimeZone(identifier: "UTC")!) == "Tue, 29 Feb 2028 23:59:59 +0000")
    }

    @Test("§3.3: an offset with seconds (local mean time before 1921 in Helsinki) is rounded to minutes, the moment kept")
    func historicOffset() {
        // Helsinki mean time was +01:39:49; written +0140 with the local time to match.
        #expect(MailDate.format(date("1910-01-01T00:00:00Z"), in: Fixtures.helsinki) == "Sat, 01 Jan 1910 01:40:00 +0140")
    }

    @Test("Agrees with Foundation's en_US_POSIX formatter from 1950 to 2100 in several zones")
    func agreesWithFoundation() {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        var generator = SystemRandomNumberGenerator()
        for identifier in ["Europe/Helsinki", "America/New_York", "Australia/Adelaide", "UTC"] {
            let zone = TimeZone(identifier: identifier)!
            formatter.timeZone = zone
            for _ in 0..<500 {
                let moment = Date(timeIntervalSince1970: Double(Int.random(in: -631_152_000...4_102_444_800, using: &generator)))
                #expect(MailDate.format(moment, in: zone) == formatter.string(from: moment))
            }
        }
    }

    @Test("The Date header parses in Python without defects, to the same text")
    func pythonParses() throws {
        let inspected = try MessageInspector.inspect(try Fixtures.message(Fixtures.headers()))
        #expect(inspected.defects == [])
        #expect(inspected.value(of: "Date") == "Mon, 23 Nov 2026 14:50:42 +0200")
    }
}
