import CCurl
import Foundation

/// What the server last said and to which command, read from libcurl's debug stream
/// (the only place libcurl shows the reply text).
final class SMTPConversation {
    private(set) var lastReply: String?
    private(set) var lastStage: SMTPStage?
    private var pendingLines: [String] = []
    /// libcurl says QUIT inside a failed transfer; that exchange must not hide the real answer.
    private var quitting = false

    func reset() {
        lastReply = nil
        lastStage = nil
        quitting = false
        pendingLines.removeAll(keepingCapacity: true)
    }

    /// The code of the last reply (`550` of `550 5.1.1 ...`), if there was one.
    var lastReplyCode: Int? {
        guard let lastReply, lastReply.utf8.count >= 3 else { return nil }
        return Int(lastReply.prefix(3))
    }

    func commandSent(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count >= 4 else { return }
        let verb = String(decoding: bytes.prefix(4), as: UTF8.self).uppercased()
        switch verb {
        case "EHLO", "HELO": lastStage = .greeting
        case "STAR": lastStage = .startTLS
        case "AUTH": lastStage = .authentication
        case "MAIL": lastStage = .mailFrom
        case "RCPT": lastStage = .recipient
        case "DATA": lastStage = .data
        case "QUIT": quitting = true
        default: break  // AUTH continuation lines (credentials) are neither kept nor looked at
        }
    }

    func replyReceived(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard !quitting else { return }
        let line = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .newlines)
        guard !line.isEmpty else { return }
        if lastStage == nil { lastStage = .connect }
        pendingLines.append(line)
        // A reply ends at the line whose fourth character is a space (RFC 5321 §4.2.1).
        let utf8 = Array(line.utf8)
        if utf8.count < 4 || utf8[3] != UInt8(ascii: "-") {
            lastReply = pendingLines.count == 1 ? line : pendingLines.joined(separator: " ")
            pendingLines.removeAll(keepingCapacity: true)
        }
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
    default: break
    }
    return 0
}
