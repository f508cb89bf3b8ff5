import Hummingbird
import Logging

/// The request context of the endpoint: Hummingbird's core storage and the address of the peer,
/// which the rate limit needs.
struct UnsubscribeRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The IP address the connection came from (the reverse proxy's, behind one).
    let peer: String?

    init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        peer = source.channel.remoteAddress?.ipAddress
    }

    /// Far below Hummingbird's default: the one form this endpoint reads is a few dozen bytes.
    var maxUploadSize: Int { UnsubscribeResponder.maxBodySize }
}
