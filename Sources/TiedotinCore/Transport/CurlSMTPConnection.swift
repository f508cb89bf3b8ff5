import CCurl
import Foundation

/// One SMTP session over one reused libcurl easy handle. Owned by one delivery thread.
final class CurlSMTPConnection: TransportConnection {
    private var settings: SMTPTransport.Settings
    private var handle: UnsafeMutableRawPointer?
    /// Whether the handle holds a session that completed a message (the next send reuses it).
    private var sessionOpen = false
    private let conversation = SMTPConversation()
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)

    init(settings: SMTPTransport.Settings) {
        self.settings = settings
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    deinit {
        close()
        errorBuffer.deallocate()
    }

    func send(_ envelope: Envelope, message: MessageBytes) -> TransportOutcome {
        var outcome = perform(envelope, message: message)
        // A reused connection the server closed while idle (a TLS close_notify, say) fails the
        // next message before anything was accepted: send it once more on a new connection.
        let silentlyClosed = [CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_GOT_NOTHING].map { Int($0.rawValue) }.contains(outcome.curlCode)
        if outcome.reusedConnection, outcome.replyCode == 0, outcome.stage != .data, silentlyClosed {
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
            return TransportOutcome(
                curlCode: Int(CURLE_FAILED_INIT.rawValue), curlMessage: "libcurl could not make a handle",
                replyCode: 0, reply: nil, stage: .connect, reusedConnection: false)
        }
        defer { curl_easy_cleanup(handle) }
        // Greeting, EHLO, STARTTLS and AUTH as for a message, then NOOP instead of MAIL; the cleanup
        // says QUIT. (CONNECT_ONLY would skip the QUIT: libcurl drops such connections unannounced.)
        tiedotin_curl_set_long(handle, CURLOPT_UPLOAD, 0)
        tiedotin_curl_set_string(handle, CURLOPT_CUSTOMREQUEST, "NOOP")
        tiedotin_curl_set_io_callback(handle, CURLOPT_WRITEFUNCTION, discardCallback)
        conversation.reset()
        errorBuffer[0] = 0
        let result = curl_easy_perform(handle)
        var replyCode = 0
        tiedotin_curl_get_long(handle, CURLINFO_RESPONSE_CODE, &replyCode)
        return TransportOutcome(
            curlCode: Int(result.rawValue), curlMessage: failureText(result), replyCode: replyCode,
            reply: conversation.lastReply, stage: conversation.lastStage, reusedConnection: false)
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
        sessionOpen = false
    }

    private func perform(_ envelope: Envelope, message: MessageBytes) -> TransportOutcome {
        if handle == nil {
            handle = makeHandle()
        }
        guard let handle else {
            return TransportOutcome(
                curlCode: Int(CURLE_FAILED_INIT.rawValue), curlMessage: "libcurl could not make a handle",
                replyCode: 0, reply: nil, stage: .connect, reusedConnection: false)
        }
        let reused = sessionOpen
        let reader = MessageReader(message: message)
        var recipients: UnsafeMutablePointer<curl_slist>?
        recipients = curl_slist_append(recipients, "<\(envelope.recipient)>")
        defer { curl_slist_free_all(recipients) }
        conversation.reset()
        errorBuffer[0] = 0

        let result: CURLcode = withExtendedLifetime(reader) {
            tiedotin_curl_set_string(handle, CURLOPT_MAIL_FROM, "<\(envelope.sender)>")
            tiedotin_curl_set_list(handle, CURLOPT_MAIL_RCPT, recipients)
            tiedotin_curl_set_pointer(handle, CURLOPT_READDATA, Unmanaged.passUnretained(reader).toOpaque())
            return curl_easy_perform(handle)
        }

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
        return TransportOutcome(
            curlCode: Int(result.rawValue), curlMessage: failureText(result),
            replyCode: replyCode, reply: conversation.lastReply, stage: conversation.lastStage,
            reusedConnection: reused)
    }

    private func makeHandle() -> UnsafeMutableRawPointer? {
        guard let handle = curl_easy_init() else { return nil }
        var components = URLComponents(url: settings.url, resolvingAgainstBaseURL: false)
        // The URL's path is the name libcurl says in EHLO.
        components?.path = "/" + settings.heloName
        // libcurl copies every string option, so Swift's temporary C strings are enough.
        tiedotin_curl_set_string(handle, CURLOPT_URL, components?.string ?? settings.url.absoluteString)
        tiedotin_curl_set_long(handle, CURLOPT_NOSIGNAL, 1)
        tiedotin_curl_set_long(handle, CURLOPT_UPLOAD, 1)
        tiedotin_curl_set_io_callback(handle, CURLOPT_READFUNCTION, messageReadCallback)
        tiedotin_curl_set_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer)
        tiedotin_curl_set_long(handle, CURLOPT_VERBOSE, 1)
        tiedotin_curl_set_debug_callback(handle, conversationDebugCallback)
        tiedotin_curl_set_pointer(handle, CURLOPT_DEBUGDATA, Unmanaged.passUnretained(conversation).toOpaque())

        let seconds = max(1, Int(settings.timeout.components.seconds))
        tiedotin_curl_set_long(handle, CURLOPT_CONNECTTIMEOUT, seconds)
        tiedotin_curl_set_long(handle, CURLOPT_SERVER_RESPONSE_TIMEOUT, seconds)
        tiedotin_curl_set_long(handle, CURLOPT_LOW_SPEED_LIMIT, 1)
        tiedotin_curl_set_long(handle, CURLOPT_LOW_SPEED_TIME, seconds)
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

/// Feeds one message to libcurl's read callback: the header block, then the shared body.
private final class MessageReader {
    let header: [UInt8]
    let body: [UInt8]
    var offset = 0

    init(message: MessageBytes) {
        header = message.header
        body = message.body
    }

    func read(into buffer: UnsafeMutablePointer<CChar>, capacity: Int) -> Int {
        var written = 0
        while written < capacity {
            let source: [UInt8]
            let start: Int
            if offset < header.count {
                source = header
                start = offset
            } else if offset - header.count < body.count {
                source = body
                start = offset - header.count
            } else {
                break
            }
            let count = min(capacity - written, source.count - start)
            source.withUnsafeBufferPointer { pointer in
                (buffer + written).withMemoryRebound(to: UInt8.self, capacity: count) {
                    $0.update(from: pointer.baseAddress! + start, count: count)
                }
            }
            written += count
            offset += count
        }
        return written
    }
}

private let messageReadCallback: tiedotin_curl_io_callback = { buffer, size, count, context in
    guard let buffer, let context else { return 0 }
    let reader = Unmanaged<MessageReader>.fromOpaque(context).takeUnretainedValue()
    return reader.read(into: buffer, capacity: size * count)
}

/// Takes the answer libcurl hands on after a command such as NOOP, and drops it.
private let discardCallback: tiedotin_curl_io_callback = { _, size, count, _ in size * count }
