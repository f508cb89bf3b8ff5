/// Why a secret could not be read. The text names the file and what to do; it never contains the secret.
public enum SecretError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Neither a systemd credential nor a file is configured.
    case notConfigured(SecretKind)
    case missing(SecretKind, file: String)
    case isFolder(SecretKind, file: String)
    case unreadable(SecretKind, file: String)
    case empty(SecretKind, file: String)
    case notUTF8(SecretKind, file: String)

    public var kind: SecretKind {
        switch self {
        case .notConfigured(let kind), .missing(let kind, _), .isFolder(let kind, _), .unreadable(let kind, _),
             .empty(let kind, _), .notUTF8(let kind, _):
            kind
        }
    }

    /// The config key the secret's file is set with, for `FILE: KEY: message` lines.
    public var key: String { kind.fileKey }

    public var description: String {
        let kind = kind
        let credential = "LoadCredential=\(kind.credentialName):/etc/tiedotin/\(kind.credentialName) in the systemd unit"
        switch self {
        case .notConfigured:
            return "no \(kind.noun) is configured: set \(kind.fileKey) to the file that holds it, or give systemd the "
                + "credential \(kind.credentialName) (\(credential))"
        case .missing(_, let file):
            return "the \(kind.noun) file \(file) does not exist; write the \(kind.noun) into it (one line, readable only by the "
                + "service's user), point \(kind.fileKey) at the right file, or use \(credential)"
        case .isFolder(_, let file):
            return "\(file) is a folder, not the \(kind.noun) file; point \(kind.fileKey) at the file itself"
        case .unreadable(_, let file):
            return "the \(kind.noun) file \(file) cannot be read by this user; make it readable by the service's user "
                + "(chown tiedotin \(file); chmod 600 \(file)) or use \(credential)"
        case .empty(_, let file):
            return "the \(kind.noun) file \(file) is empty; write the \(kind.noun) into it on one line"
        case .notUTF8(_, let file):
            return "the \(kind.noun) file \(file) is not UTF-8 text; write the \(kind.noun) into it as plain text"
        }
    }
}

/// Which secret: each has a systemd credential name and a config key naming its file.
public enum SecretKind: String, Sendable, Equatable, CaseIterable {
    case smtpPassword
    case oauthClientSecret

    /// The name under `$CREDENTIALS_DIRECTORY` (systemd's `LoadCredential=`).
    public var credentialName: String {
        switch self {
        case .smtpPassword: "smtp-password"
        case .oauthClientSecret: "oauth-client-secret"
        }
    }

    /// The config key that names the file when there is no credential.
    public var fileKey: String {
        switch self {
        case .smtpPassword: "mail.smtp.password_file"
        case .oauthClientSecret: "mail.smtp.oauth.client_secret_file"
        }
    }

    var noun: String {
        switch self {
        case .smtpPassword: "SMTP password"
        case .oauthClientSecret: "OAuth client secret"
        }
    }
}
