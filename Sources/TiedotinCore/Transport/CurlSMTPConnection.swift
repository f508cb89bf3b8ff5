import CCurl
import Foundation
import MIME

/// One SMTP session over one reused libcurl easy handle. Owned by one delivery thread.
final class CurlSMTPConnection: TransportConnection {
    private var settings: SMTPTransport.Settings
    private var handle: UnsafeMutableRawPointer?
    /// Whether the handle holds a session that completed a message (the next send reuses it).
    private var sessionOpen = false
    /// The envelope sender set on the handle: a send has one for all its messages.
    private var handleSender: String?
    /// Whether libcurl writes its debug stream on the handle (see `SMTPConversation`).
    private var handleVerbose = true
    private let conversation = SMTPConversation()
    private let recipients = RecipientList()
    /// What libcurl's read and progress callbacks point at, reused for every message.
    private let reader = MessageReader()
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
    /// `mail.smtp.timeout` in whole seconds (at least one), as libcurl counts its timeouts.
    private let commandTimeout: Int

    init(settings: SMTPTransport.Settings) {
        self.settings = settings
        commandTimeout = max(1, Int(settings.timeout.components.seconds))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    deinit {
        close()
        errorBuffer.deallocate()
    }

    func send(_ envelope: Envelope, message: MessageBytes) -> TransportOutcome {
        var outcome = perform(envelope, message: message)
        // A reused connection the server closed while idle (a TLS close_notify, say) fails the
        // next message before anything was accepted: send it once more on a new connection. So
        // does one that failed before its message started: libcurl set the connection up again
        // without its debug stream (a reused connection's), so the failure's stage is unknown.
        let failedUnseen = outcome.failure != nil && !conversation.messageStarted
        if outcome.reusedConnection,
           failedUnseen || (outcome.replyCode == 0 && outcome.stage != .data && outcome.failure == .connectionDropped) {
            discardHandle()
            outcome = perform(envelope, message: message)
        }
        return outcome
    }

    func close() {
        discardHandle()
    }

    /// The XOAUTH2 token for the next login. A new token on a live handle makes libcurl open a
    /// new connection and log in again (DESIGN's measured facts).
    func useBearerToken(_ token: String) {
        guard token != settings.bearerToken else { return }
        settings.bearerToken = token
        if let handle {
            tiedotin_curl_set_string(handle, CURLOPT_XOAUTH2_BEARER, token)
            sessionOpen = false
        }
    }

    /// The TLS the last `verifySession` ran under, as libcurl reported it; nil for plain text.
    var sessionTLS: String? { conversation.tlsSession }

    /// Connects, says EHLO, does STARTTLS and logs in as for a message, then says QUIT: nothing is sent.
    func verifySession() -> TransportOutcome {
        discardHandle()
        guard let handle = makeHandle() else {
            return CurlSMTPConnection.noHandle
        }
        defer { curl_easy_cleanup(handle) }
        // Greeting, EHLO, STARTTLS and AUTH as for a message, then NOOP instead of MAIL; the cleanup
        // says QUIT. (CONNECT_ONLY would skip the QUIT: libcurl drops such connections unannounced.)
        tiedotin_curl_set_long(handle, CURLOPT_UPLOAD, 0)
        tiedotin_curl_set_string(handle, CURLOPT_CUSTOMREQUEST, "NOOP")
        // NOOP is not a message: its reply must not be counted as MAIL's.
        tiedotin_curl_set_prereq_callback(handle, nil)
        tiedotin_curl_set_io_callback(handle, CURLOPT_WRITEFUNCTION, discardCallback)
        conversation.reset()
        errorBuffer[0] = 0
        let result = curl_easy_perform(handle)
        var replyCode = 0
        tiedotin_curl_get_long(handle, CURLINFO_RESPONSE_CODE, &replyCode)
        return outcome(result, replyCode: replyCode, reused: false)
    }

    private static let noHandle = TransportOutcome(failure: .other, detail: "libcurl could not make a handle", stage: .connect)

    /// libcurl's result told in the transport's neutral words, with the server's last reply.
    private func outcome(_ result: CURLcode, replyCode: Int, reused: Bool) -> TransportOutcome {
        TransportOutcome(
            failure: CurlSMTPConnection.failure(result, replyCode: replyCode, stage: conversation.lastStage),
            detail: failureText(result), replyCode: replyCode, reply: conversation.lastReply,
            stage: conversation.lastStage, reusedConnection: reused)
    }

    /// What a libcurl result code means for the message. A reply of 400 or more at MAIL, RCPT or
    /// DATA is the server refusing, whatever code libcurl gave (it reports a refused RCPT as a send error).
    static func failure(_ result: CURLcode, replyCode: Int, stage: SMTPStage?) -> TransportOutcome.Failure? {
        switch result {
        case CURLE_OK:
            return nil
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return .cannotResolve
        case CURLE_COULDNT_CONNECT:
            return .cannotConnect
        case CURLE_USE_SSL_FAILED:
            return .tlsNotOffered
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
             CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
             CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_CRL_BADFILE:
            return .tls
        case CURLE_LOGIN_DENIED:
            return .loginRefused
        case CURLE_OPERATION_TIMEDOUT, CURLE_ABORTED_BY_CALLBACK:
            // The callback aborts only a stalled upload (see `MessageReader`).
            return .timedOut
        default:
            break
        }
        if replyCode >= 400 { return .refused }
        switch result {
        case CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE:
            return .connectionDropped
        default:
            return .other
        }
    }

    /// libcurl's words for a failure, with the detail it wrote in the error buffer; empty on success.
    private func failureText(_ result: CURLcode) -> String {
        guard result != CURLE_OK else { return "" }
        var text = CurlLibrary.describe(result)
        let detail = String(cString: errorBuffer)
        if !detail.isEmpty, detail != text { text += ": " + detail }
        return text
    }

    private func discardHandle() {
        if let handle {
            curl_easy_cleanup(handle)  // says QUIT on a live session
        }
        handle = nil
        handleSender = nil
        handleVerbose = true
        sessionOpen = false
    }

    private func perform(_ envelope: Envelope, message: MessageBytes) -> TransportOutcome {
        if handle == nil {
            handle = makeHandle()
        }
        guard let handle else { return CurlSMTPConnection.noHandle }
        // The envelope carries ASCII only: an internationalised domain goes as its A-label.
        guard let sender = EmailAddress.envelopeForm(of: envelope.sender),
              let recipient = EmailAddress.envelopeForm(of: envelope.recipient) else {
            return TransportOutcome(
                failure: .unsendableAddress,
                detail: "\(envelope.recipient) cannot be written in an ASCII envelope (non-ASCII before the @); nothing was sent",
                stage: nil)
        }
        let reused = sessionOpen
        // A new connection's set-up is followed in libcurl's debug stream; a reused one has none.
        let verbose = !reused
        if verbose != handleVerbose {
            tiedotin_curl_set_long(handle, CURLOPT_VERBOSE, verbose ? 1 : 0)
            handleVerbose = verbose
        }
        reader.start(message, stallLimit: commandTimeout)
        defer { reader.finish() }
        conversation.reset()
        errorBuffer[0] = 0

        if handleSender != sender {
            tiedotin_curl_set_string(handle, CURLOPT_MAIL_FROM, "<\(sender)>")
            handleSender = sender
        }
        tiedotin_curl_set_list(handle, CURLOPT_MAIL_RCPT, recipients.holding(recipient))
        let result = curl_easy_perform(handle)

        var replyCode = 0
        tiedotin_curl_get_long(handle, CURLINFO_RESPONSE_CODE, &replyCode)
        if let code = conversation.lastReplyCode { replyCode = code }
        if result == CURLE_OK {
            sessionOpen = true
        } else if replyCode >= 400, replyCode < 600, replyCode != 421,
                  conversation.lastStage == .recipient || conversation.lastStage == .data || conversation.lastStage == .mailFrom {
            // libcurl closes after a rejected MAIL or RCPT and reconnects by itself; after DATA it keeps
            // the session. Either way the handle stays usable.
            sessionOpen = conversation.lastStage == .data
        } else {
            // The session is gone or in an unknown state (421, a dropped connection, a timeout):
            // start the next message on a new connection.
            discardHandle()
        }
        return outcome(result, replyCode: replyCode, reused: reused)
    }



    private func makeHandle() -> UnsafeMutableRawPointer? {
        guard let handle = curl_easy_init() else { return nil }
        var components = URLComponents(url: settings.url, resolvingAgainstBaseURL: false)
        // The URL's path is the name libcurl says in EHLO.
        components?.path = "/" + settings.heloName
        // libcurl copies every string option, so Swift's temporary C strings are enough.
        tiedotin_curl_set_string(handle, CURLOPT_URL, components?.string ?? settings.url.absoluteString)
        tiedotin_curl_set_long(handle, CURLOPT_NOSIGNAL, 1)
        // The relay is the config's, reached directly: libcurl would otherwise send the mail through
        // whatever proxy `all_proxy` or `smtp_proxy` names in the environment of whoever runs a
        // command, and read those variables again for every message.
        tiedotin_curl_set_string(handle, CURLOPT_NOPROXY, "*")
        tiedotin_curl_set_long(handle, CURLOPT_UPLOAD, 1)
        tiedotin_curl_set_io_callback(handle, CURLOPT_READFUNCTION, messageReadCallback)
        // The reader lives as long as this connection, which outlives the handle.
        tiedotin_curl_set_pointer(handle, CURLOPT_READDATA, Unmanaged.passUnretained(reader).toOpaque())
        tiedotin_curl_set_pointer(handle, CURLOPT_XFERINFODATA, Unmanaged.passUnretained(reader).toOpaque())
        tiedotin_curl_set_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer)
        tiedotin_curl_set_long(handle, CURLOPT_VERBOSE, 1)
        tiedotin_curl_set_debug_callback(handle, conversationDebugCallback)
        tiedotin_curl_set_pointer(handle, CURLOPT_DEBUGDATA, Unmanaged.passUnretained(conversation).toOpaque())
        tiedotin_curl_set_io_callback(handle, CURLOPT_HEADERFUNCTION, conversationReplyCallback)
        tiedotin_curl_set_pointer(handle, CURLOPT_HEADERDATA, Unmanaged.passUnretained(conversation).toOpaque())
        tiedotin_curl_set_prereq_callback(handle, conversationMessageStartCallback)
        tiedotin_curl_set_pointer(handle, CURLOPT_PREREQDATA, Unmanaged.passUnretained(conversation).toOpaque())

        // The connect phase (TCP, greeting, EHLO, STARTTLS, AUTH) is bounded by mail.smtp.timeout.
        tiedotin_curl_set_long(handle, CURLOPT_CONNECTTIMEOUT, commandTimeout)
        // libcurl has one timeout for every answer, the one to the final dot included, and RFC 5321
        // §4.5.3.2.6 gives that answer 10 minutes: a relay that is slow to say 250 must not be
        // given the message again. The answers to MAIL and RCPT (5 minutes there) share it.
        tiedotin_curl_set_long(handle, CURLOPT_SERVER_RESPONSE_TIMEOUT, max(commandTimeout, CurlSMTPConnection.finalReplyTimeout))
        // libcurl's low-speed check would also run while the relay thinks about the final dot, so a
        // stalled upload is caught by the progress callback instead, which knows when the data ended.
        tiedotin_curl_set_long(handle, CURLOPT_NOPROGRESS, 0)
        tiedotin_curl_set_xferinfo_callback(handle, stallCallback)
        tiedotin_curl_set_long(handle, CURLOPT_TCP_KEEPALIVE, 1)

        if settings.url.scheme?.lowercased() == "smtp" {
            let level: curl_usessl = switch settings.startTLS {
            case .required: CURLUSESSL_ALL
            case .opportunistic: CURLUSESSL_TRY
            case .off: CURLUSESSL_NONE
            }
            tiedotin_curl_set_long(handle, CURLOPT_USE_SSL, Int(level.rawValue))
        }
        if let caFile = settings.caFile {
            tiedotin_curl_set_string(handle, CURLOPT_CAINFO, caFile)
        }
        if let username = settings.username {
            tiedotin_curl_set_string(handle, CURLOPT_USERNAME, username)
        }
        if let password = settings.password {
            tiedotin_curl_set_string(handle, CURLOPT_PASSWORD, password)
        }
        if let token = settings.bearerToken {
            tiedotin_curl_set_string(handle, CURLOPT_XOAUTH2_BEARER, token)
            tiedotin_curl_set_string(handle, CURLOPT_LOGIN_OPTIONS, "AUTH=XOAUTH2")
        }
        return handle
    }
}

extension CurlSMTPConnection {
    /// Seconds to wait for the answer to the final dot (RFC 5321 §4.5.3.2.6).
    static let finalReplyTimeout = 600
}

/// Feeds one message at a time to libcurl's read callback: the header block, then the shared body.
/// It also watches the upload: data that stops moving for `stallLimit` seconds before it has all
/// been handed over ends the transfer, while the wait for the answer after the data is left to libcurl.
private final class MessageReader {
    private(set) var header: [UInt8] = []
    private(set) var body: [UInt8] = []
    var offset = 0
    private(set) var stallLimit = 1
    private var uploaded = -1
    /// When the upload was first seen not to move (uptime nanoseconds); nil while it moves.
    private var stalledSince: UInt64?

    /// Makes the reader hand out `message` from its first byte.
    func start(_ message: MessageBytes, stallLimit: Int) {
        header = message.header
        body = message.body
        self.stallLimit = stallLimit
        offset = 0
        uploaded = -1
        stalledSince = nil
    }

    /// Lets go of the message's bytes (the shared body stays with the round).
    func finish() {
        header = []
        body = []
    }

    /// Whether every byte of the message was handed to libcurl.
    var finished: Bool { offset >= header.count + body.count }

    /// Called by libcurl's progress callback; false to end a stalled transfer.
    func progress(uploaded now: Int) -> Bool {
        if now != uploaded || offset == 0 || finished {
            uploaded = now
            stalledSince = nil
            return true
        }
        // The clock is read only once the data stops moving: libcurl calls this many times a
        // message, and at least once a second, so a stall is timed from its first call.
        let time = DispatchTime.now().uptimeNanoseconds
        guard let stalledSince else {
            self.stalledSince = time
            return true
        }
        return time - stalledSince < UInt64(stallLimit) * 1_000_000_000
    }

    /// Copies the next bytes of the message (the header block, then the body) into libcurl's
    /// buffer; 0 once everything was handed over.
    func read(into buffer: UnsafeMutablePointer<CChar>, capacity: Int) -> Int {
        let target = UnsafeMutableRawPointer(buffer)
        var written = 0
        if offset < header.count {
            written = min(capacity, header.count - offset)
            header.withUnsafeBytes { target.copyMemory(from: $0.baseAddress! + offset, byteCount: written) }
        }
        let bodyStart = offset + written - header.count
        if written < capacity, bodyStart < body.count {
            let count = min(capacity - written, body.count - bodyStart)
            body.withUnsafeBytes { (target + written).copyMemory(from: $0.baseAddress! + bodyStart, byteCount: count) }
            written += count
        }
        offset += written
        return written
    }
}

private let stallCallback: tiedotin_curl_xferinfo_callback = { context, _, _, _, uploaded in
    guard let context else { return 0 }
    let reader = Unmanaged<MessageReader>.fromOpaque(context).takeUnretainedValue()
    return reader.progress(uploaded: uploaded) ? 0 : 1
}

private let messageReadCallback: tiedotin_curl_io_callback = { buffer, size, count, context in
    guard let buffer, let context else { return 0 }
    let reader = Unmanaged<MessageReader>.fromOpaque(context).takeUnretainedValue()
    return reader.read(into: buffer, capacity: size * count)
}

/// Takes the answer libcurl hands on after a command such as NOOP, and drops it.
private let discardCallback: tiedotin_curl_io_callback = { _, size, count, _ in size * count }
