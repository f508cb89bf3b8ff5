import Foundation
import MIME

/// Realistic senders, recipients and texts, and small byte helpers shared by the MIME tests.
enum Fixtures {
    static let helsinki = TimeZone(identifier: "Europe/Helsinki")!
    /// 23 November 2026, 14:50:42 in Helsinki (12:50:42 UTC).
    static let monday = Date(timeIntervalSince1970: 1_795_438_242)

    static let sender = try! EmailAddress(address: "jarjestotyo@pohde.example.fi", displayName: "Pohden järjestötyö")
    static let pia = try! EmailAddress(address: "pia.kangas@example.fi", displayName: "Pia Kangas – Oulun ensi- ja turvakoti ry")
    static let replyTo = try! EmailAddress(address: "jyry@pohde.example.fi", displayName: "Järjestöyhteistyöryhmä JYRY")

    static let subject = "Järjestö- ja seurakuntatiedote"

    static func headers(
        subject: String = subject, to: EmailAddress = pia, extra: [HeaderField] = []
    ) -> MessageHeaders {
        MessageHeaders(
            from: sender, to: to, replyTo: replyTo, subject: subject, date: monday, timeZone: helsinki, extra: extra)
    }

    /// A full message with the given headers and a short plain-text body.
    static func message(_ headers: MessageHeaders, body: MIMEPart = .plain("Hei!\r\n")) throws -> [UInt8] {
        try MailMessage(headers: headers, body: body).render()
    }
}

/// The bytes as text (UTF-8; the tests only look at ASCII).
func string(_ bytes: [UInt8]) -> String {
    String(decoding: bytes, as: UTF8.self)
}

/// The lines of a CRLF text, without their line breaks.
func lines(_ bytes: [UInt8]) -> [String] {
    string(bytes).components(separatedBy: "\r\n")
}

/// The raw header section of a message (up to the first empty line), one entry per physical line.
func headerLines(_ message: [UInt8]) -> [String] {
    Array(lines(message).prefix { !$0.isEmpty })
}

/// The physical lines of one header field: its first line and continuation lines.
func fieldLines(_ name: String, in message: [UInt8]) -> [String] {
    let all = headerLines(message)
    guard let start = all.firstIndex(where: { $0.lowercased().hasPrefix(name.lowercased() + ":") }) else { return [] }
    var result = [all[start]]
    for line in all[(start + 1)...] {
        guard line.first == " " || line.first == "\t" else { break }
        result.append(line)
    }
    return result
}

/// Decodes one RFC 2047 encoded word to its bytes (RFC 2047 §4.1 and §4.2), or nil if it is not one.
func decodeEncodedWord(_ word: String) -> [UInt8]? {
    let pieces = word.split(separator: "?", omittingEmptySubsequences: false)
    guard pieces.count == 5, pieces[0] == "=", pieces[4] == "=", pieces[1].lowercased() == "utf-8" else { return nil }
    switch pieces[2].uppercased() {
    case "B":
        return Data(base64Encoded: String(pieces[3])).map { Array($0) }
    case "Q":
        var bytes: [UInt8] = []
        var characters = Array(pieces[3].utf8)[...]
        while let byte = characters.popFirst() {
            if byte == UInt8(ascii: "_") {
                bytes.append(0x20)
            } else if byte == UInt8(ascii: "=") {
                guard characters.count >= 2, let value = UInt8(string(Array(characters.prefix(2))), radix: 16) else { return nil }
                bytes.append(value)
                characters = characters.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return bytes
    default:
        return nil
    }
}
