import Foundation

/// How bytes leave the machine: an SMTP relay through libcurl, or a Maildir folder in development.
///
/// A transport hands out connections; each delivery worker owns one and uses it from its own
/// thread for message after message, so an SMTP session stays open between messages.
public protocol MailTransport: Sendable {
    /// Opens (lazily) a connection for one worker. Connecting happens on the first `send`.
    func makeConnection() -> any TransportConnection
    /// Where mail goes, for the admin (`smtp://mail.example.fi:587`, `maildir /var/lib/...`).
    var destination: String { get }
}

/// One worker's connection. Not shared between threads; blocking by design.
public protocol TransportConnection: AnyObject {
    /// Hands one message for one recipient to the relay and reports what the relay answered.
    func send(_ envelope: Envelope, message: MessageBytes) -> TransportOutcome
    /// Ends the session politely (QUIT) and frees the connection.
    func close()
}
