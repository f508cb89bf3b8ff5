import CCurl

/// What the server last said and to which command.
///
/// The replies come from libcurl's header callback, which sees every reply line whether or not
/// libcurl is verbose. Which command a reply answers is known two ways:
/// - while a connection is set up (greeting, EHLO, STARTTLS, AUTH), from the commands in
///   libcurl's debug stream, which it writes only when verbose. A connection's first message is
///   sent verbose for this;
/// - once the message itself starts (libcurl's pre-request callback, after any set-up), from
///   the order of the replies: MAIL, RCPT (one recipient), DATA, then the final dot, each sent
///   only after a positive reply to the one before (RFC 5321 §3.3). A message on a reused
///   connection is sent without verbose: libcurl formats every informational line while it is
///   on, for each of thousands of messages, and none of them is needed there.
///
/// It runs for every line of every message, so it works on bytes and makes a `String` only
/// when someone asks for the reply.
final class SMTPConversation {
    private(set) var lastStage: SMTPStage?
    /// The last complete reply, its lines joined by spaces, without line ends: the first
    /// `replyCount` bytes of a buffer made once. Four replies a message are kept here, and an
    /// array's mutation cost its uniqueness and exclusivity checks each time (BENCHMARKS.md,
    /// twelfth round). A reply longer than the buffer keeps its beginning.
    private let reply = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: SMTPConversation.replyCapacity)
    private var replyCount = 0
    /// Lines of a multi-line reply (`250-...`) still waiting for its last line.
    private var pending: [UInt8] = []
    /// libcurl says QUIT inside a failed transfer; that exchange must not hide the real answer.
    private var quitting = false
    /// The message's commands have started (libcurl's pre-request callback).
    private(set) var messageStarted = false
    /// Positive replies since the message started: the command in flight is `messageStages[positiveReplies]`.
    private var positiveReplies = 0
    /// libcurl's note on the TLS in use (`TLSv1.3 / TLS_AES_256_GCM_SHA384`); nil while the session is plain.
    private(set) var tlsSession: String?

    /// The command each positive reply of a message leads to: MAIL first, RCPT after its 250, DATA
    /// after RCPT's, and after the 354 the data with its final dot, which is still the DATA stage.
    private static let messageStages: [SMTPStage] = [.mailFrom, .recipient, .data, .data]

    /// RFC 5321 §4.5.3.1.5 allows 512 octets a reply line; this holds eight such lines.
    static let replyCapacity = 4096

    init() {
        pending.reserveCapacity(512)
    }

    deinit {
        reply.deallocate()
    }

    func reset() {
        lastStage = nil
        quitting = false
        messageStarted = false
        positiveReplies = 0
        tlsSession = nil
        replyCount = 0
        if !pending.isEmpty { pending.removeAll(keepingCapacity: true) }
    }

    /// The last reply as the server wrote it (`550 5.1.1 <x@example.fi>: User unknown`).
    var lastReply: String? {
        replyCount == 0 ? nil : String(decoding: UnsafeBufferPointer(rebasing: reply[..<replyCount]), as: UTF8.self)
    }

    /// The code of the last reply (`550`), if there was one.
    var lastReplyCode: Int? {
        SMTPConversation.code(of: UnsafeBufferPointer(rebasing: reply[..<replyCount]))
    }

    private static func code(of reply: some Collection<UInt8>) -> Int? {
        guard reply.count >= 3 else { return nil }
        var code = 0
        for byte in reply.prefix(3) {
            guard (0x30...0x39).contains(byte) else { return nil }
            code = code * 10 + Int(byte - 0x30)
        }
        return code
    }

    /// The connection is set up and libcurl is about to say MAIL FROM.
    func messageStarting() {
        messageStarted = true
        positiveReplies = 0
        lastStage = SMTPConversation.messageStages[0]
    }

    /// A command in libcurl's debug stream (only while verbose): it names the set-up stages.
    func commandSent(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count >= 4 else { return }
        // The verb, upper-cased by clearing bit 5 of each letter.
        let verb = (UInt32(bytes[0] & 0xDF) << 24) | (UInt32(bytes[1] & 0xDF) << 16) | (UInt32(bytes[2] & 0xDF) << 8) | UInt32(bytes[3] & 0xDF)
        switch verb {
        case SMTPConversation.verb("QUIT"): quitting = true
        case _ where messageStarted: break  // MAIL, RCPT and DATA: known from the replies
        case SMTPConversation.verb("EHLO"), SMTPConversation.verb("HELO"): lastStage = .greeting
        case SMTPConversation.verb("STAR"): lastStage = .startTLS
        case SMTPConversation.verb("AUTH"): lastStage = .authentication
        default: break  // AUTH continuation lines (credentials) are neither kept nor looked at
        }
    }

    /// One reply line, as libcurl's header callback hands it over.
    func replyReceived(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard !quitting else { return }
        var end = bytes.count
        while end > 0, bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D { end -= 1 }
        guard end > 0 else { return }
        if lastStage == nil { lastStage = .connect }
        let line = UnsafeBufferPointer(rebasing: bytes[0..<end])
        // A reply ends at the line whose fourth character is a space (RFC 5321 §4.2.1); the lines
        // before it wait in `pending`. Most replies are one line, which goes straight into `reply`.
        guard end < 4 || bytes[3] != UInt8(ascii: "-") else {
            if !pending.isEmpty { pending.append(0x20) }
            pending.append(contentsOf: line)
            return
        }
        guard messageStarted else {
            keepReply(endingWith: line)
            return
        }
        // Every line of a reply carries its code (RFC 5321 §4.2.1), the last one too.
        let code = SMTPConversation.code(of: line) ?? 0
        // 221 answers only QUIT, which libcurl says by itself after a refusal or a failure.
        guard code != 221 else {
            quitting = true
            pending.removeAll(keepingCapacity: true)
            return
        }
        keepReply(endingWith: line)
        guard (200..<400).contains(code) else {
            // Refused: libcurl says nothing more for this message but QUIT, whose answer is not this one.
            quitting = true
            return
        }
        positiveReplies = min(positiveReplies + 1, SMTPConversation.messageStages.count - 1)
        lastStage = SMTPConversation.messageStages[positiveReplies]
    }

    /// Makes the reply whose last line is `line` (after any lines waiting in `pending`) the last reply.
    private func keepReply(endingWith line: UnsafeBufferPointer<UInt8>) {
        replyCount = 0
        if !pending.isEmpty {
            pending.append(0x20)
            pending.withUnsafeBufferPointer { keep($0) }
            pending.removeAll(keepingCapacity: true)
        }
        keep(line)
    }

    /// Adds `bytes` to the kept reply, as many as the buffer has room for.
    private func keep(_ bytes: UnsafeBufferPointer<UInt8>) {
        let count = min(bytes.count, reply.count - replyCount)
        guard count > 0, let source = bytes.baseAddress else { return }
        (reply.baseAddress! + replyCount).update(from: source, count: count)
        replyCount += count
    }

    /// libcurl's informational lines: only the one that says TLS was set up is kept.
    func noteReceived(_ bytes: UnsafeBufferPointer<UInt8>) {
        let prefix = SMTPConversation.tlsNote
        guard bytes.count > prefix.count, bytes.starts(with: prefix) else { return }
        var end = bytes.count
        while end > prefix.count, bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D { end -= 1 }
        tlsSession = String(decoding: UnsafeBufferPointer(rebasing: bytes[prefix.count..<end]), as: UTF8.self)
    }

    private static let tlsNote = Array("SSL connection using ".utf8)

    private static func verb(_ text: StaticString) -> UInt32 {
        let bytes = text.utf8Start
        return (UInt32(bytes[0]) << 24) | (UInt32(bytes[1]) << 16) | (UInt32(bytes[2]) << 8) | UInt32(bytes[3])
    }
}

/// libcurl's debug stream (only while verbose), fed to the `SMTPConversation` its context points at.
let conversationDebugCallback: tiedotin_curl_debug_callback = { _, type, data, size, context in
    guard let data, let context else { return 0 }
    let conversation = Unmanaged<SMTPConversation>.fromOpaque(context).takeUnretainedValue()
    let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: size)
    switch type {
    case CURLINFO_HEADER_OUT: conversation.commandSent(bytes)
    case CURLINFO_TEXT: conversation.noteReceived(bytes)
    default: break
    }
    return 0
}

/// libcurl's header callback: every reply line of the session, verbose or not.
let conversationReplyCallback: tiedotin_curl_io_callback = { data, size, count, context in
    guard let data, let context else { return size * count }
    let conversation = Unmanaged<SMTPConversation>.fromOpaque(context).takeUnretainedValue()
    conversation.replyReceived(UnsafeBufferPointer(start: UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: size * count))
    return size * count
}

/// libcurl's pre-request callback: the connection is ready and the message's commands start.
let conversationMessageStartCallback: tiedotin_curl_prereq_callback = { context, _, _, _, _ in
    guard let context else { return 0 }
    Unmanaged<SMTPConversation>.fromOpaque(context).takeUnretainedValue().messageStarting()
    return 0  // CURL_PREREQFUNC_OK
}
