import Foundation
import Testing
import TestSupport
@testable import TiedotinCore

/// The built `tiedotin serve`, as systemd runs it: the endpoint answers inside it, and `serve --once`
/// reads both Maildirs.
@Suite struct ServeCommandTests {
    /// A port nobody listens on now: the system's choice for a socket bound and closed at once.
    static func freePort() throws -> Int {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(socket, socketAddress, length) == 0 && getsockname(socket, socketAddress, &length) == 0
            }
        }
        guard bound else { throw CocoaError(.fileWriteUnknown) }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    @Test func serveAnswersOneClickPostsAndStopsCleanlyOnSIGTERM() async throws {
        let fixture = try ReturnsFixture(port: try Self.freePort())
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
