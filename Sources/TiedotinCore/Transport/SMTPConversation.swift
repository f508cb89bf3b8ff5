import CCurl

/// What the server last said and to which command, read from libcurl's debug stream
/// (the only place libcurl shows the reply text).
///
/// It runs for every line of every message, so it works on bytes and makes a `String` only
/// when someone asks for the reply.
final class SMTPConversation {
    private(set) var lastStage: SMTPStage?
    /// The last complete reply, its lines joined by spaces, without line ends.
    private var reply: [UInt8] = []
    /// Lines of a multi-line reply (`250-...`) still waiting for its last line.
    private var pending: [UInt8] = []
    /// libcurl says QUIT inside a failed transfer; that exchange must not hide the real answer.
    private var quitting = false
    /// libcurl's note on the TLS in use (`TLSv1.3 / TLS_AES_256_GCM_SHA384`); nil while the session is plain.
    private(set) var tlsSession: String?

    init() {
        reply.reserveCapacity(256)
        pending.reserveCapacity(512)
    }

    func reset() {
        lastStage = nil
        quitting = false
        tlsSession = nil
        reply.removeAll(keepingCapacity: true)
        pending.removeAll(keepingCapacity: true)
    }

    /// The last reply as the server wrote it (`550 5.1.1 <x@example.fi>: User unknown`).
    var lastReply: String? {
        reply.isEmpty ? nil : String(decoding: reply, as: UTF8.self)
    }

    /// The code of the last reply (`550`), if there was one.
    var lastReplyCode: Int? {
        guard reply.count >= 3 else { return nil }
        var code = 0
        for byte in reply.prefix(3) {
            guard (0x30...0x39).contains(byte) else { return nil }
            code = code * 10 + Int(byte - 0x30)
        }
        return code
    }

    func commandSent(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count >= 4 else { return }
        // The verb, upper-cased by clearing bit 5 of each letter.
        let verb = (UInt32(bytes[0] & 0xDF) << 24) | (UInt32(bytes[1] & 0xDF) << 16) | (UInt32(bytes[2] & 0xDF) << 8) | UInt32(bytes[3] & 0xDF)
        switch verb {
        case SMTPConversation.verb("EHLO"), SMTPConversation.verb("HELO"): lastStage = .greeting
        case SMTPConversation.verb("STAR"): lastStage = .startTLS
        case SMTPConversation.verb("AUTH"): lastStage = .authentication
        case SMTPConversation.verb("MAIL"): lastStage = .mailFrom
        case SMTPConversation.verb("RCPT"): lastStage = .recipient
        case SMTPConversation.verb("DATA"): lastStage = .data
        case SMTPConversation.verb("QUIT"): quitting = true
        default: break  // AUTH continuation lines (credentials) are neither kept nor looked at
        }
    }

    func replyReceived(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard !quitting else { return }
        var end = bytes.count
        while end > 0, bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D { end -= 1 }
        guard end > 0 else { return }
        if lastStage == nil { lastStage = .connect }
        if !pending.isEmpty { pending.append(0x20) }
        pending.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[0..<end]))
        // A reply ends at the line whose fourth character is a space (RFC 5321 §4.2.1).
        if end < 4 || bytes[3] != UInt8(ascii: "-") {
            swap(&reply, &pending)
            pending.removeAll(keepingCapacity: true)
        }
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

/// libcurl's debug stream, fed to the `SMTPConversation` its context points at.
let conversationDebugCallback: tiedotin_curl_debug_callback = { _, type, data, size, context in
    guard let data, let context else { return 0 }
    let conversation = Unmanaged<SMTPConversation>.fromOpaque(context).takeUnretainedValue()
    let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: size)
    switch type {
    case CURLINFO_HEADER_OUT: conversation.commandSent(bytes)
    case CURLINFO_HEADER_IN: conversation.replyReceived(bytes)
    case CURLINFO_TEXT: conversation.noteReceived(bytes)
    default: break
    }
    return 0
}
