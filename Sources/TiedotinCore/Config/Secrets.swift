import Foundation

/// Reads the secrets the config only points at: the SMTP password and the OAuth client secret.
///
/// A systemd credential (`$CREDENTIALS_DIRECTORY/smtp-password`, `.../oauth-client-secret`) wins over
/// the file named in the config. The environment is passed in, never read from the process here.
public struct Secrets: Sendable {
    /// systemd's `$CREDENTIALS_DIRECTORY`, if the service was started with credentials.
    public let credentialsDirectory: String?

    public init(environment: [String: String]) {
        let directory = environment["CREDENTIALS_DIRECTORY"]
        credentialsDirectory = (directory?.isEmpty ?? true) ? nil : directory
    }

    /// The password for logging in to the relay.
    public func smtpPassword(for smtp: Configuration.SMTP) throws(SecretError) -> Secret {
        try read(.smtpPassword, configuredFile: smtp.passwordFile)
    }

    /// The client secret for the OAuth token endpoint.
    public func oauthClientSecret(for oauth: Configuration.OAuth) throws(SecretError) -> Secret {
        try read(.oauthClientSecret, configuredFile: oauth.clientSecretFile)
    }

    /// The secrets `configuration` needs, each checked for being readable: the problems, as config
    /// problems naming the key (empty when all is well). The secrets themselves are dropped at once.
    public func problems(for configuration: Configuration) -> [ConfigurationProblem] {
        guard configuration.mail.transport == .smtp else { return [] }
        return errors(for: configuration.mail.smtp).map {
            ConfigurationProblem(line: nil, column: nil, key: $0.key, message: $0.description)
        }
    }

    /// Why the secrets `smtp` logs in with cannot be read (empty when they can).
    public func errors(for smtp: Configuration.SMTP) -> [SecretError] {
        var errors: [SecretError] = []
        if smtp.auth == .password {
            do { _ = try smtpPassword(for: smtp) } catch { errors.append(error) }
        }
        if smtp.auth == .xoauth2, let oauth = smtp.oauth {
            do { _ = try oauthClientSecret(for: oauth) } catch { errors.append(error) }
        }
        return errors
    }

    private func read(_ kind: SecretKind, configuredFile: String?) throws(SecretError) -> Secret {
        let file: String
        if let credentialsDirectory, FileManager.default.fileExists(atPath: credentialsDirectory + "/" + kind.credentialName) {
            file = credentialsDirectory + "/" + kind.credentialName
        } else if let configuredFile {
            file = configuredFile
        } else {
            throw .notConfigured(kind)
        }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file, isDirectory: &isFolder) else { throw .missing(kind, file: file) }
        guard !isFolder.boolValue else { throw .isFolder(kind, file: file) }
        guard let data = FileManager.default.contents(atPath: file) else { throw .unreadable(kind, file: file) }
        guard var text = String(data: data, encoding: .utf8) else { throw .notUTF8(kind, file: file) }
        // Editors end the last line with a newline; the secret itself never does. Only one is dropped.
        if text.hasSuffix("\r\n") || text.hasSuffix("\n") { text.removeLast() }
        guard !text.isEmpty else { throw .empty(kind, file: file) }
        return Secret(text, source: file)
    }
}
