import Foundation
import Testing
import TestSupport
@testable import TiedotinCore

/// The built `tiedotin serve`, as systemd runs it: the endpoint answers inside it, and `serve --once`
/// reads both Maildirs.
@Suite struct ServeCommandTests {
    @Test func serveAnswersOneClickPostsAndStopsCleanlyOnSIGTERM() async throws {
        let fixture = try ReturnsFixture(port: try freeLoopbackPort())
        let token = try fixture.token("pia.kangas@example.fi")
        let url = "http://\(fixture.configuration.newsletter.unsubscribe.listen!)/tiedotin/unsubscribe?token=\(token)"
        let service = try TiedotinBinary.start(["serve", "--config", fixture.configuration.file])
        // curl waits for the port to open (the service is ready in well under a second).
        let answer = try await Curl.request(url, ["--retry", "20", "--retry-connrefused", "--retry-delay", "1", "--data", "List-Unsubscribe=One-Click"])
        service.terminate()
        let ended = await service.result()
        #expect(answer.status == 200)
        #expect(try fixture.suppression("pia.kangas@example.fi")?.source == "one-click")
        #expect(ended.status == 0)
        #expect(ended.exitedNormally)
        let errors = ended.errors
        #expect(errors.contains("the unsubscribe endpoint listens"))
        #expect(!errors.contains(token))
    }

    @Test func serveOnceReadsBothMaildirs() throws {
        let fixture = try ReturnsFixture()
        let pia = try fixture.token("pia.kangas@example.fi")
        let heidi = try fixture.token("heidi.lotjonen@example.fi")
        try fixture.drop([["kind": "request", "subject": "unsubscribe \(pia)"], ["kind": "request", "subject": "Hei!"]], into: fixture.unsubscribeMaildir)
        try fixture.drop([["kind": "gmail", "recipient": "heidi.lotjonen@example.fi", "delivered_to": "bounces+\(heidi)@pohde.example.fi"]],
                         into: fixture.bounceMaildir)

        let run = try TiedotinBinary.run(["serve", "--once", "--config", fixture.configuration.file])

        #expect(run.status == 0, "\(run.errors)")
        #expect(try fixture.suppression("pia.kangas@example.fi")?.source == "mail")
        #expect(try fixture.undeliverable("heidi.lotjonen@example.fi")?.contains("550") == true)
        #expect(fixture.names(in: fixture.unsubscribeMaildir, "new").isEmpty)
        #expect(fixture.names(in: fixture.bounceMaildir, "new").isEmpty)
        #expect(fixture.names(in: fixture.unsubscribeMaildir, "cur").filter { $0.hasSuffix(":2,F") }.count == 1)
        #expect(!run.errors.contains(pia) && !run.errors.contains(heidi))
    }
}
