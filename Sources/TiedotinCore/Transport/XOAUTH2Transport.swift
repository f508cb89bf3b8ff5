import Foundation

/// Sends through an SMTP relay that wants an OAuth 2 bearer token (XOAUTH2): Microsoft 365 after
/// basic authentication ends, Google Workspace. Every connection shares one token client.
public struct XOAUTH2Transport: MailTransport {
    public let smtp: SMTPTransport
    public let tokens: OAuthTokenClient

    public init(smtp: SMTPTransport, tokens: OAuthTokenClient) {
        self.smtp = smtp
        self.tokens = tokens
    }

    public var destination: String { smtp.destination }

    public func makeConnection() -> any TransportConnection {
        XOAUTH2Connection(settings: smtp.settings, tokens: tokens, destination: destination)
    }
}
