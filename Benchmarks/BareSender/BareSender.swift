// The benchmark's reference sender: the stack's limit for SMTP through libcurl.
//
// It does what a sender must and nothing else: one reused easy handle per thread, the message
// built in memory beforehand, recipients handed out from one shared counter (not a fixed share
// per thread, so no connection runs alone at the end). tiedotin's delivery is measured against it.
//
//     bare-sender --url smtp://127.0.0.1:2525 --messages 10000 --connections 4 --size 4300
//
// Prints one JSON line: {"messages", "failed", "seconds", "per_second"}.
import CCurl
import Foundation
import Synchronization

struct Options: Sendable {
    var url = "smtp://127.0.0.1:2525"
    var messages = 10_000
    var connections = 1
    var size = 4_300
    var sender = "bench@tiedotin.example"

    init(arguments: [String]) {
        var iterator = arguments.dropFirst().makeIterator()
        while let name = iterator.next() {
            guard let value = iterator.next() else { fatalError("\(name) needs a value") }
            switch name {
            case "--url": url = value
            case "--messages": messages = Int(value)!
            case "--connections": connections = Int(value)!
            case "--size": size = Int(value)!
            case "--from": sender = value
            default: fatalError("unknown option \(name)")
            }
        }
    }
}

/// The message every recipient gets: headers and a body of printable lines, CRLF, `size` bytes.
func message(size: Int, sender: String) -> [UInt8] {
    var text = "From: <\(sender)>\r\nTo: <member@tiedotin.example>\r\nSubject: bench\r\n"
        + "Message-ID: <bench@tiedotin.example>\r\nMIME-Version: 1.0\r\n"
        + "Content-Type: text/plain; charset=UTF-8\r\n\r\n"
    let line = "Tervetuloa järjestöjen aamukahveille keskustelemaan yhteistyöstä.\r\n"
    while text.utf8.count + line.utf8.count <= size { text += line }
    return Array(text.utf8)
}

/// Where libcurl reads the message from: the shared bytes and this transfer's position.
final class Upload: @unchecked Sendable {
    let bytes: [UInt8]
    var offset = 0
    init(bytes: [UInt8]) { self.bytes = bytes }
}

/// libcurl's read callback: copies the next piece of the message.
let readMessage: tiedotin_curl_io_callback = { buffer, size, count, context in
    let upload = Unmanaged<Upload>.fromOpaque(context!).takeUnretainedValue()
    let length = min(size * count, upload.bytes.count - upload.offset)
    guard length > 0, let buffer else { return 0 }
    upload.bytes.withUnsafeBufferPointer { source in
        UnsafeMutableRawPointer(buffer).copyMemory(from: source.baseAddress! + upload.offset, byteCount: length)
    }
    upload.offset += length
    return length
}

@main
enum BareSender {
    static func main() {
        let options = Options(arguments: CommandLine.arguments)
        let bytes = message(size: options.size, sender: options.sender)
        let next = Atomic<Int>(0)
        let failed = Atomic<Int>(0)
        curl_global_init(Int(CURL_GLOBAL_ALL))
        let started = DispatchTime.now()
        let finished = DispatchGroup()
        for _ in 0..<options.connections {
            finished.enter()
            Thread {
                send(options: options, bytes: bytes, next: next, failed: failed)
                finished.leave()
            }.start()
        }
        finished.wait()
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
        print("{\"messages\": \(options.messages), \"failed\": \(failed.load(ordering: .relaxed)), "
            + "\"seconds\": \(seconds), \"per_second\": \(Double(options.messages) / seconds)}")
    }

    /// One connection: claims the next recipient from the shared counter until none is left.
    static func send(options: Options, bytes: [UInt8], next: borrowing Atomic<Int>, failed: borrowing Atomic<Int>) {
        let handle = curl_easy_init()!
        let upload = Upload(bytes: bytes)
        tiedotin_curl_set_string(handle, CURLOPT_URL, options.url)
        // What every threaded libcurl program sets; without it libcurl swaps the SIGPIPE handler
        // around every call (15 system calls a message), which would flatter the product.
        tiedotin_curl_set_long(handle, CURLOPT_NOSIGNAL, 1)
        tiedotin_curl_set_string(handle, CURLOPT_MAIL_FROM, "<\(options.sender)>")
        tiedotin_curl_set_long(handle, CURLOPT_UPLOAD, 1)
        tiedotin_curl_set_io_callback(handle, CURLOPT_READFUNCTION, readMessage)
        tiedotin_curl_set_pointer(handle, CURLOPT_READDATA, Unmanaged.passUnretained(upload).toOpaque())
        while true {
            let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
            guard index < options.messages else { break }
            let recipients = curl_slist_append(nil, "<member\(index)@tiedotin.example>")
            tiedotin_curl_set_list(handle, CURLOPT_MAIL_RCPT, recipients)
            upload.offset = 0
            if curl_easy_perform(handle) != CURLE_OK { failed.wrappingAdd(1, ordering: .relaxed) }
            curl_slist_free_all(recipients)
        }
        curl_easy_cleanup(handle)
    }
}
