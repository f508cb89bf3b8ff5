import Foundation
import Logging
import ServiceLifecycle
import Testing
import TestSupport
@testable import TiedotinCore

/// Real HTTP requests (curl) against the one-click endpoint running on 127.0.0.1.
@Suite struct UnsubscribeEndpointTests {
    /// Runs the endpoint of `fixture` until `body` returns; `body` gets the endpoint's base URL.
    func withEndpoint(
        _ fixture: ReturnsFixture, clock: any WallClock = SystemClock(), limits: UnsubscribeEndpoint.Limits = .init(burst: 50, perMinute: 50),
        _ body: (String) async throws -> Void
    ) async throws {
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let made = UnsubscribeEndpoint(
            configuration: fixture.configuration, store: fixture.store, logger: fixture.logger, clock: clock, limits: limits,
            onListening: { continuation.yield($0) })
        let endpoint = try #require(made)
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: [.init(service: endpoint)], logger: fixture.logger))
        let running = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())
        do {
            try await body("http://127.0.0.1:\(port)/tiedotin/unsubscribe")
        } catch {
            await group.triggerGracefulShutdown()
            throw error
        }
        await group.triggerGracefulShutdown()
        try await running.value
    }

    @Test func aGetOnlyAsksAndItsButtonPostsBack() async throws {
        let fixture = try ReturnsFixture()
        let token = try fixture.token("pia.kangas@example.fi")
        try await withEndpoint(fixture) { (url: String) async throws in
            let page = try await Curl.request("\(url)?token=\(token)")
            #expect(page.status == 200)
            #expect(page.body.contains("<html lang=\"fi\">"))
            #expect(page.body.contains("<form method=\"post\" action=\"/tiedotin/unsubscribe?token=\(token)\">"))
            #expect(page.body.contains("name=\"List-Unsubscribe\" value=\"One-Click\""))
            #expect(page.body.contains("Peru tilaus"))
            #expect(page.headers.lowercased().contains("cache-control: no-store"))
            #expect(page.headers.range(of: #"(?m)^Date: \w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT\r?$"#, options: .regularExpression) != nil)
            // A scanner following the link twice, and a HEAD, unsubscribe nobody.
            #expect(try await Curl.request("\(url)?token=\(token)").status == 200)
            #expect(try await Curl.request("\(url)?token=\(token)", ["-I"]).status == 200)
            #expect(try fixture.suppression("pia.kangas@example.fi") == nil)

            // What the page's button sends.
            let done = try await Curl.request("\(url)?token=\(token)", ["--data", "List-Unsubscribe=One-Click&via=page"])
            #expect(done.status == 200)
            #expect(done.body.contains("Tilaus on peruttu"))
            #expect(done.body.contains("jarjestotyo@pohde.example.fi"))
        }
        let suppression = try #require(try fixture.suppression("pia.kangas@example.fi"))
        #expect(suppression.source == "web")
        #expect(suppression.scope == .notices)
    }

    @Test func aOneClickPostUnsubscribesOnceAndAgainChangesNothing() async throws {
        let fixture = try ReturnsFixture()
        let token = try fixture.token("heidi.lotjonen@example.fi")
        try await withEndpoint(fixture) { (url: String) async throws in
            // RFC 8058 §3.1: what a mail client sends, URL-encoded ...
            let first = try await Curl.request("\(url)?token=\(token)", ["--data", "List-Unsubscribe=One-Click"])
            #expect(first.status == 200)
            let before = try #require(try fixture.suppression("heidi.lotjonen@example.fi"))
            #expect(before.source == "one-click")
            // ... and as the multipart/form-data the RFC prefers: the same answer, nothing new.
            let again = try await Curl.request("\(url)?token=\(token.uppercased())", ["-F", "List-Unsubscribe=One-Click"])
            #expect(again.status == 200)
            #expect(again.body == first.body)
            #expect(try fixture.suppression("heidi.lotjonen@example.fi") == before)
        }
        #expect(try fixture.store.unsubscribeCounts() == ["one-click": 1])
        #expect(try fixture.suppression("pia.kangas@example.fi") == nil)
    }

    @Test func multipartOneClickFromAMailClientUnsubscribes() async throws {
        let fixture = try ReturnsFixture()
        let token = try fixture.token("eero.kylmanen@example.fi")
        try await withEndpoint(fixture) { (url: String) async throws in
            let answer = try await Curl.request("\(url)?token=\(token)", ["-F", "List-Unsubscribe=One-Click"])
            #expect(answer.status == 200)
        }
        #expect(try fixture.suppression("eero.kylmanen@example.fi")?.source == "one-click")
    }

    @Test func swedishPages() async throws {
        let fixture = try ReturnsFixture(language: "sv")
        let token = try fixture.token("asa.lindqvist@example.fi")
        try await withEndpoint(fixture) { (url: String) async throws in
            let page = try await Curl.request("\(url)?token=\(token)")
            #expect(page.body.contains("<html lang=\"sv\">"))
            #expect(page.body.contains("Avsluta prenumerationen"))
            let done = try await Curl.request("\(url)?token=\(token)", ["--data", "List-Unsubscribe=One-Click"])
            #expect(done.body.contains("Prenumerationen är avslutad"))
            #expect(done.body.contains("skriv till jarjestotyo@pohde.example.fi"))
        }
    }

    @Test func anUnknownTokenGetsTheSameAnswerAsARealOne() async throws {
        let fixture = try ReturnsFixture()
        let real = try fixture.token("pia.kangas@example.fi")
        let unknown = "aaaaaaaaaaaaaaaaaaaaaaaaaa"
        try await withEndpoint(fixture) { (url: String) async throws in
            let realPage = try await Curl.request("\(url)?token=\(real)")
            let unknownPage = try await Curl.request("\(url)?token=\(unknown)")
            #expect(unknownPage.status == realPage.status)
            #expect(unknownPage.body == realPage.body.replacingOccurrences(of: real, with: unknown))
            let unknownDone = try await Curl.request("\(url)?token=\(unknown)", ["--data", "List-Unsubscribe=One-Click"])
            let realDone = try await Curl.request("\(url)?token=\(real)", ["--data", "List-Unsubscribe=One-Click"])
            #expect(unknownDone.status == 200)
            #expect(unknownDone.body == realDone.body)

            // Malformed: one plain page, the same for each, and no form.
            let malformed = ["\(url)?token=\(real.dropLast())", "\(url)?token=\(real)x", "\(url)?token=%27%20OR%201=1--", url]
            var bodies: Set<String> = []
            for link in malformed {
                let answer = try await Curl.request(link)
                #expect(answer.status == 400)
                #expect(!answer.body.contains("<form"))
                bodies.insert(answer.body)
                #expect(try await Curl.request(link, ["--data", "List-Unsubscribe=One-Click"]).status == 400)
            }
            #expect(bodies.count == 1)
        }
        #expect(try fixture.store.unsubscribeCounts() == ["one-click": 1])
    }

    @Test func aPostWithoutTheOneClickFormUnsubscribesNobody() async throws {
        let fixture = try ReturnsFixture()
        let token = try fixture.token("pia.kangas@example.fi")
        try await withEndpoint(fixture) { (url: String) async throws in
            #expect(try await Curl.request("\(url)?token=\(token)", ["-X", "POST"]).status == 400)
            #expect(try await Curl.request("\(url)?token=\(token)", ["--data", "List-Unsubscribe=Maybe"]).status == 400)
            #expect(try await Curl.request("\(url)?token=\(token)", ["--data-binary", "{}", "-H", "Content-Type: application/json"]).status == 400)
        }
        #expect(try fixture.suppression("pia.kangas@example.fi") == nil)
    }

    @Test func oversizeBodiesAreRefused() async throws {
        let fixture = try ReturnsFixture()
        let token = try fixture.token("pia.kangas@example.fi")
        let big = try fixture.folder.write("List-Unsubscribe=One-Click&padding=" + String(repeating: "x", count: 200_000), to: "big.txt")
        try await withEndpoint(fixture) { (url: String) async throws in
            let declared = try await Curl.request("\(url)?token=\(token)", ["--data-binary", "@\(big)"])
            #expect(declared.status == 413)
            let chunked = try await Curl.request("\(url)?token=\(token)", ["--data-binary", "@\(big)", "-H", "Transfer-Encoding: chunked"])
            #expect(chunked.status == 413)
            // The endpoint still answers afterwards.
            #expect(try await Curl.request("\(url)?token=\(token)").status == 200)
        }
        #expect(try fixture.suppression("pia.kangas@example.fi") == nil)
    }

    @Test func nothingButThePathAnswers() async throws {
        let fixture = try ReturnsFixture()
        let token = try fixture.token("pia.kangas@example.fi")
        try await withEndpoint(fixture) { (url: String) async throws in
            let base = url.replacingOccurrences(of: "/tiedotin/unsubscribe", with: "")
            for path in ["/", "/tiedotin", "/tiedotin/unsubscribe/", "/tiedotin/unsubscribe/x", "/admin", "/../etc/passwd"] {
                #expect(try await Curl.request("\(base)\(path)?token=\(token)", ["--path-as-is"]).status == 404, "\(path)")
            }
            let put = try await Curl.request("\(url)?token=\(token)", ["-X", "PUT", "--data", "List-Unsubscribe=One-Click"])
            #expect(put.status == 405)
            #expect(put.headers.contains("GET, HEAD, POST"))
        }
        #expect(try fixture.suppression("pia.kangas@example.fi") == nil)
    }

    @Test func aFloodIsRefusedPerClientUntilTheBucketRefills() async throws {
        let fixture = try ReturnsFixture()
        let token = try fixture.token("pia.kangas@example.fi")
        let clock = ManualClock()
        try await withEndpoint(fixture, clock: clock, limits: .init(burst: 5, perMinute: 6)) { (url: String) async throws in
            let flood = try await Curl.statuses("\(url)?token=\(token)", count: 20)
            #expect(flood == Array(repeating: 200, count: 5) + Array(repeating: 429, count: 15))
            let refused = try await Curl.request("\(url)?token=\(token)")
            #expect(refused.status == 429)
            #expect(refused.headers.contains("Retry-After: 10"))
            // Another client behind the same reverse proxy has its own bucket.
            #expect(try await Curl.request("\(url)?token=\(token)", ["-H", "X-Real-IP: 192.0.2.44"]).status == 200)
            // Ten seconds later the first client may ask once more.
            clock.advance(by: 10)
            #expect(try await Curl.statuses("\(url)?token=\(token)", count: 2) == [200, 429])
        }
    }

    @Test func thePathIsTheOneTheLinksCarry() {
        for (link, path) in [
            ("https://pohde.example.fi/tiedotin/unsubscribe", "/tiedotin/unsubscribe"),
            ("https://pohde.example.fi/tiedotin/unsubscribe/", "/tiedotin/unsubscribe/"),
            ("https://pohde.example.fi/tiedotin/peru%20tilaus?x=1", "/tiedotin/peru%20tilaus"),
            ("https://pohde.example.fi", "/"),
        ] {
            #expect(UnsubscribeEndpoint.path(of: URL(string: link)!) == path, "\(link)")
        }
    }

    @Test func noLogLineHoldsAWholeToken() async throws {
        let fixture = try ReturnsFixture()
        let token = try fixture.token("pia.kangas@example.fi")
        let unknown = "zzzzzzzzzzzzzzzzzzzzzzzzzz"
        try await withEndpoint(fixture) { (url: String) async throws in
            _ = try await Curl.request("\(url)?token=\(token)")
            _ = try await Curl.request("\(url)?token=\(token)", ["--data", "List-Unsubscribe=One-Click"])
            _ = try await Curl.request("\(url)?token=\(unknown)", ["--data", "List-Unsubscribe=One-Click"])
        }
        let lines = fixture.logs.all
        #expect(lines.contains { $0.contains("unsubscribed") && $0.contains("pia.kangas@example.fi") && $0.contains(String(token.prefix(4)) + "…") })
        #expect(lines.contains { $0.contains("a token nobody has") })
        #expect(!lines.contains { $0.contains(token) || $0.contains(unknown) })
    }
}
