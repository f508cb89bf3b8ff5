import CCurl

/// The one-recipient list libcurl's `CURLOPT_MAIL_RCPT` reads, made once for a connection and
/// written again for each message.
///
/// `curl_slist_append` copies its string and allocates a node, and `curl_slist_free_all` frees
/// both: two allocations and two frees for every message delivered, on the connection's own time
/// (BENCHMARKS.md, twelfth round). libcurl reads the list during the transfer and neither keeps
/// nor frees it (`CURLOPT_MAIL_RCPT`), so one node and one buffer serve every message.
final class RecipientList {
    private let node = UnsafeMutablePointer<curl_slist>.allocate(capacity: 1)
    private var text: UnsafeMutablePointer<CChar>
    private var capacity: Int

    init() {
        capacity = 256
        text = UnsafeMutablePointer<CChar>.allocate(capacity: capacity)
        text.initialize(to: 0)
        node.initialize(to: curl_slist(data: text, next: nil))
    }

    deinit {
        node.deinitialize(count: 1)
        node.deallocate()
        text.deallocate()
    }

    /// The list holding `<address>` alone, valid until the next call.
    func holding(_ address: String) -> UnsafeMutablePointer<curl_slist> {
        var address = address
        address.withUTF8 { bytes in
            // `<`, the address, `>` and the terminating zero.
            let needed = bytes.count + 3
            if needed > capacity {
                text.deallocate()
                capacity = max(needed, capacity * 2)
                text = UnsafeMutablePointer<CChar>.allocate(capacity: capacity)
                node.pointee.data = text
            }
            text[0] = CChar(UInt8(ascii: "<"))
            if let source = bytes.baseAddress {
                UnsafeMutableRawPointer(text + 1).copyMemory(from: source, byteCount: bytes.count)
            }
            text[bytes.count + 1] = CChar(UInt8(ascii: ">"))
            text[bytes.count + 2] = 0
        }
        return node
    }
}
