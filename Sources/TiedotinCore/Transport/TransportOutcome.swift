/// The SMTP step an answer came from.
public enum SMTPStage: String, Sendable, Equatable {
    case connect, greeting, startTLS = "STARTTLS", authentication = "AUTH", mailFrom = "MAIL", recipient = "RCPT", data = "DATA", quit = "QUIT"
}

/// What happened to one message at the transport, in words that name no library: whether it got
/// through, what went wrong on the way if not, and the server's own reply.
/// Delivery classifies it (sent, temporary, permanent); the transport does not judge.
public struct TransportOutcome: Sendable, Equatable {
    /// What kept the message from going through, as the transport saw it.
    public enum Failure: Sendable, Equatable {
        /// The relay's host name did not resolve.
        case cannotResolve
        /// No connection to the relay (refused, unreachable, timed out while connecting).
        case cannotConnect
        /// STARTTLS was required but the relay does not offer it.
        case tlsNotOffered
        /// The TLS handshake or the relay's certificate failed.
        case tls
        /// The relay refused the login (also a `334` challenge to a bad XOAUTH2 token).
        case loginRefused
        /// The relay said nothing for too long at `stage`.
        case timedOut
        /// The connection ended in the middle of a step.
        case connectionDropped
        /// The relay answered with a failure reply (`replyCode`, `reply`).
        case refused
        /// The address cannot be written in an ASCII envelope; nothing was sent.
        case unsendableAddress
        /// Anything else; `detail` says what.
        case other
    }

    /// Nil when the message went through.
    public var failure: Failure?
    /// The transport's own words about a failure, for the admin; empty on success.
    public var detail: String
    /// The last SMTP reply code, 0 when there was none.
    public var replyCode: Int
    /// The last SMTP reply line as the server wrote it (`550 5.1.1 <x@example.fi>: User unknown`).
    public var reply: String?
    /// The last command sent before the reply, so a 5xx at RCPT is told from one at MAIL.
    public var stage: SMTPStage?
    /// Whether the message went over a connection opened for an earlier message.
    public var reusedConnection: Bool
    /// A problem the transport already diagnosed for the admin (no OAuth token, a login refused
    /// with a fresh token): every message would fail alike, so all wait. Nil for a relay's answer.
    public var transportProblem: String? = nil

    /// An outcome as a transport reports it.
    public init(
        failure: Failure?, detail: String = "", replyCode: Int = 0, reply: String? = nil, stage: SMTPStage?,
        reusedConnection: Bool = false
    ) {
        self.failure = failure
        self.detail = detail
        self.replyCode = replyCode
        self.reply = reply
        self.stage = stage
        self.reusedConnection = reusedConnection
    }

    /// A successful hand-off with a reply such as `250 2.0.0 Ok: queued`.
    public static func accepted(reply: String) -> TransportOutcome {
        TransportOutcome(failure: nil, replyCode: 250, reply: reply, stage: .data)
    }

    /// Whether the message was handed to the relay: the session got as far as `MAIL FROM`. Only
    /// such attempts count against `mail.rate`.
    public var reachedRelay: Bool {
        switch stage {
        case .mailFrom, .recipient, .data: true
        default: false
        }
    }
}
