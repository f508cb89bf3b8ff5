import Foundation
import Testing
import TestSupport
@testable import TiedotinCore

/// A password or token never crosses the network in clear: with `auth: password` or `xoauth2`,
/// the relay needs `starttls: required` or `smtps://`, unless it is on the loopback address.
@Suite struct CredentialTLSTests {
    static func smtp(url: String, starttls: String?, auth: String, tokenURL: String = "https://login.microsoftonline.com/pohde.example.fi/oauth2/v2.0/token") -> String {
        var lines = [
            "mail:",
            "  from: \"Pohden järjestötyö <jarjestotyo@pohde.example.fi>\"",
            "  smtp:",
            "    url: \(url)",
        ]
        if let starttls { lines.append("    starttls: \(starttls)") }
        lines += ["    auth: \(auth)", "    username: tiedotin@pohde.example.fi"]
        if auth == "xoauth2" {
            lines += [
                "    oauth:",
                "      token_url: \(tokenURL)",
                "      client_id: 6f1c2a4e-0d3b-4e55-9a61-7c8d2b1e9f00",
                "      scope: https://outlook.office365.com/.default",
            ]
        }
        return lines.joined(separator: "\n") + "\n\n" + ConfigText.organisation + ConfigText.paths + ConfigText.networks
    }

    @Test(arguments: ["opportunistic", "off"])
    func aPasswordOverStrippableTLSToAnotherHostIsRefusedAtItsLine(_ policy: String) throws {
        let found = try #require(try problem(Self.smtp(url: "smtp://mail.pohde.example.fi:587", starttls: policy, auth: "password")))
        #expect(found.key == "mail.smtp.starttls")
        #expect(found.line == 5 && found.column == 15)
        #expect(found.message.contains("is \(policy) while auth is password: the password would cross the network in clear"))
        #expect(found.message.contains("write starttls: required, or use url: smtps://mail.pohde.example.fi:465"))
    }

    @Test func anXOAUTH2TokenIsHeldToTheSameRule() throws {
        let found = try #require(try problem(Self.smtp(url: "smtp://smtp.office365.com:587", starttls: "opportunistic", auth: "xoauth2")))
        #expect(found.key == "mail.smtp.starttls")
        #expect(found.message.contains("the OAuth token would cross the network in clear"))
    }

    @Test(arguments: [
        ("smtp://127.0.0.1:25", "off", "password"),
        ("smtp://localhost:25", "opportunistic", "password"),
        ("smtp://[::1]:25", "off", "xoauth2"),
        ("smtps://mail.pohde.example.fi:465", "off", "password"),
        ("smtp://mail.pohde.example.fi:587", "required", "password"),
        ("smtp://mail.pohde.example.fi:25", "off", "none"),
    ])
    func safeCombinationsPass(_ url: String, _ policy: String, _ auth: String) throws {
        #expect(try problems(Self.smtp(url: url, starttls: policy, auth: auth)).isEmpty)
    }

    @Test func aClientSecretGoesOnlyOverHTTPS() throws {
        let found = try #require(try problem(Self.smtp(
            url: "smtp://smtp.office365.com:587", starttls: "required", auth: "xoauth2",
            tokenURL: "http://login.microsoftonline.com/pohde/oauth2/v2.0/token")))
        #expect(found.key == "mail.smtp.oauth.token_url")
        #expect(found.message.contains("must go over https; write token_url: https://login.microsoftonline.com/pohde/oauth2/v2.0/token"))
        #expect(try problems(Self.smtp(
            url: "smtp://smtp.office365.com:587", starttls: "required", auth: "xoauth2",
            tokenURL: "http://127.0.0.1:8080/token")).isEmpty)
    }

    @Test func checkConfigRefusesAPasswordOverAPlainConnectionWithFileLineAndColumn() throws {
        let folder = TemporaryFolder()
        try folder.folder("templates")
        let password = "Kahvi-Salasana-2027!"
        try folder.write(password + "\n", to: "smtp-password")
        let yaml = Self.smtp(url: "smtp://mail.pohde.example.fi:25", starttls: "off", auth: "password")
            .replacingOccurrences(of: "    auth: password", with: "    auth: password\n    password_file: smtp-password")
        let config = try folder.write(yaml, to: "tiedotin.yaml")
        let run = try TiedotinBinary.run(["check-config", "--config", config])
        #expect(run.status == 1)
        #expect(run.errors.contains("\(config):5:15: mail.smtp.starttls: is off while auth is password"), "\(run.errors)")
        #expect(!run.output.contains(password) && !run.errors.contains(password))
    }
}
