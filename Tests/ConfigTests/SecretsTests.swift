import Foundation
import Testing
import TestSupport
@testable import TiedotinCore

/// The SMTP password and OAuth client secret: read from systemd's credential folder or the configured
/// file, and never shown in any text.
@Suite("Secrets")
struct SecretsTests {
    static let password = "Kahvi-Salasana-2027!"

    private func smtp(passwordFile: String?) -> Configuration.SMTP {
        Configuration.SMTP(
            url: URL(string: "smtp://mail.example.fi:587")!, startTLS: .required, auth: .password, username: "tiedotin",
            passwordFile: passwordFile, timeout: .seconds(30), caFile: nil, oauth: nil)
    }

    @Test("the password comes from password_file, with one trailing newline dropped")
    func fromPasswordFile() throws {
        let folder = TemporaryFolder()
        let file = try folder.write(Self.password + "\n", to: "smtp-password")
        let secret = try Secrets(environment: [:]).smtpPassword(for: smtp(passwordFile: file))
        #expect(secret.plainText == Self.password)
        #expect(secret.source == file)

        try folder.write("salasana\r\n", to: "windows")
        #expect(try Secrets(environment: [:]).smtpPassword(for: smtp(passwordFile: folder.path + "/windows")).plainText == "salasana")
        try folder.write("salasana \n\n", to: "two-newlines")
        #expect(try Secrets(environment: [:]).smtpPassword(for: smtp(passwordFile: folder.path + "/two-newlines")).plainText == "salasana \n")
    }

    @Test("systemd's $CREDENTIALS_DIRECTORY/smtp-password wins over password_file; without it the file is used")
    func credentialWins() throws {
        let folder = TemporaryFolder()
        let file = try folder.write("tiedostosta\n", to: "etc/smtp-password")
        let credentials = try folder.folder("credentials")
        try folder.write("credentialista", to: "credentials/smtp-password")
        let secrets = Secrets(environment: ["CREDENTIALS_DIRECTORY": credentials])
        #expect(try secrets.smtpPassword(for: smtp(passwordFile: file)).plainText == "credentialista")
        #expect(try secrets.smtpPassword(for: smtp(passwordFile: nil)).plainText == "credentialista")

        let otherCredentials = try folder.folder("no-smtp-credential")
        let fallback = Secrets(environment: ["CREDENTIALS_DIRECTORY": otherCredentials])
        #expect(try fallback.smtpPassword(for: smtp(passwordFile: file)).plainText == "tiedostosta")
    }

    @Test("the OAuth client secret comes from the credential oauth-client-secret or client_secret_file")
    func oauthSecret() throws {
        let folder = TemporaryFolder()
        let file = try folder.write("asiakassalaisuus\n", to: "oauth-client-secret")
        let oauth = Configuration.OAuth(
            tokenURL: URL(string: "https://login.microsoftonline.com/TENANT/oauth2/v2.0/token")!,
            clientID: "00000000-0000-0000-0000-000000000000", clientSecretFile: file, scope: "https://outlook.office365.com/.default")
        #expect(try Secrets(environment: [:]).oauthClientSecret(for: oauth).plainText == "asiakassalaisuus")
        let credentials = try folder.folder("credentials")
        try folder.write("systemdista\n", to: "credentials/oauth-client-secret")
        #expect(try Secrets(environment: ["CREDENTIALS_DIRECTORY": credentials]).oauthClientSecret(for: oauth).plainText == "systemdista")
    }

    @Test("a missing, empty or unconfigured secret is a typed error naming the file and what to do")
    func errors() throws {
        let folder = TemporaryFolder()
        let missing = folder.path + "/smtp-password"
        #expect(throws: SecretError.missing(.smtpPassword, file: missing)) {
            try Secrets(environment: [:]).smtpPassword(for: smtp(passwordFile: missing))
        }
        let text = SecretError.missing(.smtpPassword, file: missing).description
        #expect(text.hasPrefix("the SMTP password file \(missing) does not exist; write the SMTP password into it"))
        #expect(text.contains("LoadCredential=smtp-password:"))
        #expect(SecretError.missing(.smtpPassword, file: missing).key == "mail.smtp.password_file")

        try folder.write("\n", to: "empty")
        #expect(throws: SecretError.empty(.smtpPassword, file: folder.path + "/empty")) {
            try Secrets(environment: [:]).smtpPassword(for: smtp(passwordFile: folder.path + "/empty"))
        }
        #expect(throws: SecretError.notConfigured(.smtpPassword)) {
            try Secrets(environment: [:]).smtpPassword(for: smtp(passwordFile: nil))
        }
        #expect(throws: SecretError.isFolder(.smtpPassword, file: folder.path)) {
            try Secrets(environment: [:]).smtpPassword(for: smtp(passwordFile: folder.path))
        }
    }

    @Test("a secret never shows in descriptions, interpolation or dump")
    func neverShown() throws {
        let folder = TemporaryFolder()
        let file = try folder.write(Self.password, to: "smtp-password")
        let secret = try Secrets(environment: [:]).smtpPassword(for: smtp(passwordFile: file))
        var dumped = ""
        dump(secret, to: &dumped)
        for text in [secret.description, secret.debugDescription, "\(secret)", String(reflecting: secret), dumped] {
            #expect(!text.contains(Self.password), "the password showed in: \(text)")
        }
        #expect(secret.description == "secret from \(file)")
    }
}
