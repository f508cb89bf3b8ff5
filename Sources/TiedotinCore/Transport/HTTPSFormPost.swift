import CCurl
import Foundation

/// One HTTPS POST of a form (`application/x-www-form-urlencoded`) through libcurl, trusting the
/// same CA file as SMTP. Made for the OAuth token request: the body holds the client secret, so
/// libcurl runs without VERBOSE and without a debug callback, and the body is never kept.
struct HTTPSFormPost: Sendable {
    /// What the server answered.
    struct Answer: Sendable {
        var status: Int
        var contentType: String?
        var body: [UInt8]
    }

    /// Why no answer came, in the transport's words, and libcurl's own.
    struct Failure: Error, Sendable {
        var kind: TransportOutcome.Failure
        var message: String

        /// A certificate or handshake problem, as opposed to a name, route or time problem.
        var isTLS: Bool { kind == .tls }
    }

    let url: URL
    let caFile: String?
    let timeout: Duration
    /// Answers larger than this are cut off: a token answer is a few kilobytes.
    static let answerLimit = 256 * 1024

    init(url: URL, caFile: String?, timeout: Duration) {
        CurlLibrary.initialise()
        self.url = url
        self.caFile = caFile
        self.timeout = timeout
    }

    /// Posts `form` (already encoded) and returns the answer, whatever its status.
    func perform(form: Secret) -> Result<Answer, Failure> {
        guard let handle = curl_easy_init() else {
            return .failure(Failure(kind: .other, message: "libcurl could not make a handle"))
        }
        defer { curl_easy_cleanup(handle) }
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        defer { errorBuffer.deallocate() }
        var headers: UnsafeMutablePointer<curl_slist>?
        headers = curl_slist_append(headers, "Content-Type: application/x-www-form-urlencoded")
        headers = curl_slist_append(headers, "Accept: application/json")
        defer { curl_slist_free_all(headers) }
        let collector = AnswerCollector(limit: Self.answerLimit)

        let result: CURLcode = withExtendedLifetime(collector) {
            tiedotin_curl_set_string(handle, CURLOPT_URL, url.absoluteString)
            // Plain http only reaches this point for a loopback endpoint (the config refuses it elsewhere).
            tiedotin_curl_set_string(handle, CURLOPT_PROTOCOLS_STR, url.scheme?.lowercased() == "http" ? "http" : "https")
            tiedotin_curl_set_long(handle, CURLOPT_FOLLOWLOCATION, 0)
            tiedotin_curl_set_long(handle, CURLOPT_NOSIGNAL, 1)
            // The body carries the secret: nothing of the exchange may reach stderr or a callback.
            tiedotin_curl_set_long(handle, CURLOPT_VERBOSE, 0)
            tiedotin_curl_set_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer)
            tiedotin_curl_set_list(handle, CURLOPT_HTTPHEADER, headers)
            tiedotin_curl_set_string(handle, CURLOPT_USERAGENT, "tiedotin")
            tiedotin_curl_set_string(handle, CURLOPT_COPYPOSTFIELDS, form.plainText)
            let seconds = max(1, Int(timeout.components.seconds))
            tiedotin_curl_set_long(handle, CURLOPT_CONNECTTIMEOUT, seconds)
            tiedotin_curl_set_long(handle, CURLOPT_TIMEOUT, seconds)
            if let caFile {
                tiedotin_curl_set_string(handle, CURLOPT_CAINFO, caFile)
            }
            tiedotin_curl_set_io_callback(handle, CURLOPT_WRITEFUNCTION, answerWriteCallback)
            tiedotin_curl_set_pointer(handle, CURLOPT_WRITEDATA, Unmanaged.passUnretained(collector).toOpaque())
            return curl_easy_perform(handle)
        }
        guard result == CURLE_OK else {
            var message = CurlLibrary.describe(result)
            let detail = String(cString: errorBuffer)
            if !detail.isEmpty, detail != message { message += ": " + detail }
            if collector.overflowed { message = "the answer was larger than \(Self.answerLimit / 1024) KiB" }
            let kind = CurlSMTPConnection.failure(result, replyCode: 0, stage: nil) ?? .other
            return .failure(Failure(kind: kind, message: message))
        }
        var status = 0
        tiedotin_curl_get_long(handle, CURLINFO_RESPONSE_CODE, &status)
        var contentType: UnsafeMutablePointer<CChar>?
        tiedotin_curl_get_string(handle, CURLINFO_CONTENT_TYPE, &contentType)
        return .success(Answer(status: status, contentType: contentType.map { String(cString: $0) }, body: collector.bytes))
    }

    /// `application/x-www-form-urlencoded` (RFC 6749 Appendix B): every byte but the unreserved
    /// ones percent-encoded, pairs joined with `&`.
    static func encode(_ fields: [(String, String)]) -> String {
        fields.map { "\(percentEncoded($0.0))=\(percentEncoded($0.1))" }.joined(separator: "&")
    }

    private static func percentEncoded(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                result += String(format: "%%%02X", byte)
            }
        }
        return result
    }
}

/// Gathers the answer's body for libcurl's write callback, up to a limit.
private final class AnswerCollector {
    let limit: Int
    var bytes: [UInt8] = []
    var overflowed = false

    init(limit: Int) {
        self.limit = limit
    }

    func append(_ buffer: UnsafePointer<CChar>, count: Int) -> Int {
        guard bytes.count + count <= limit else {
            overflowed = true
            return 0  // libcurl stops with CURLE_WRITE_ERROR
        }
        buffer.withMemoryRebound(to: UInt8.self, capacity: count) {
            bytes.append(contentsOf: UnsafeBufferPointer(start: $0, count: count))
        }
        return count
    }
}

private let answerWriteCallback: tiedotin_curl_io_callback = { buffer, size, count, context in
    guard let buffer, let context else { return 0 }
    let collector = Unmanaged<AnswerCollector>.fromOpaque(context).takeUnretainedValue()
    return collector.append(buffer, count: size * count)
}
