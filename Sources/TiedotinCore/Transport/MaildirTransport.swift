import Foundation

/// Writes each message into a Maildir (`tmp/` then rename into `new/`): development and tests
/// without a mail server. Each file starts with `Return-Path` and `Delivered-To` like a local delivery.
public struct MaildirTransport: MailTransport {
    /// The Maildir root; `tmp`, `new` and `cur` are created under it.
    public let folder: String

    public init(folder: String) {
        self.folder = folder
    }

    public var destination: String { "maildir \(folder)" }

    public func makeConnection() -> any TransportConnection {
        MaildirConnection(folder: folder)
    }
}

final class MaildirConnection: TransportConnection {
    private let folder: String
    private var counter = 0
    private let host = ProcessInfo.processInfo.hostName.replacingOccurrences(of: "/", with: "_")
        .replacingOccurrences(of: ":", with: "_")

    init(folder: String) {
        self.folder = folder
    }

    func send(_ envelope: Envelope, message: MessageBytes) -> TransportOutcome {
        let manager = FileManager.default
        do {
            for sub in ["tmp", "new", "cur"] {
                try manager.createDirectory(atPath: folder + "/" + sub, withIntermediateDirectories: true)
            }
            counter += 1
            let now = Date().timeIntervalSince1970
            let seconds = Int(now)
            let micros = Int((now - Double(seconds)) * 1_000_000)
            let name = "\(seconds).M\(micros)P\(getpid())Q\(counter).\(host)"
            var bytes = Array("Return-Path: <\(envelope.sender)>\nDelivered-To: \(envelope.recipient)\n".utf8)
            bytes.reserveCapacity(message.count + bytes.count)
            // Maildir files use the local line ending, LF.
            for part in [message.header, message.body] {
                var index = 0
                while index < part.count {
                    let byte = part[index]
                    if byte == 13, index + 1 < part.count, part[index + 1] == 10 {
                        index += 1
                        continue
                    }
                    bytes.append(byte)
                    index += 1
                }
            }
            let temporary = folder + "/tmp/" + name
            guard manager.createFile(atPath: temporary, contents: Data(bytes)) else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: temporary])
            }
            try manager.moveItem(atPath: temporary, toPath: folder + "/new/" + name)
            return .accepted(reply: "250 written to \(folder)/new/\(name)")
        } catch {
            return TransportOutcome(
                failure: .refused, replyCode: 451,
                reply: "451 cannot write to the Maildir \(folder): \(error.localizedDescription)", stage: .data)
        }
    }

    func close() {}
}
