/// Why a message or part could not be written. The text names the header or part at fault, for the
/// admin reading the log: every case is input that would have produced a broken or forged message.
public enum MIMEError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A CR, LF or other line break in a header value: refused, so nobody can add headers of their own.
    case lineBreakInHeader(header: String)
    /// A control character other than a tab in a header value.
    case controlCharacterInHeader(header: String)
    /// A header name that is empty or has characters RFC 5322 §3.6.8 does not allow (space, colon, line break, non-ASCII).
    case invalidHeaderName(String)
    /// An extra header the message writes itself (From, Subject, Content-Type, ...).
    case reservedHeader(String)
    /// Non-ASCII text in a header whose value is written as given (a structured header).
    case nonASCIIInStructuredHeader(header: String)
    /// A word in a structured header too long for a line of 998 octets.
    case headerLineTooLong(header: String)
    /// An address in an address header that cannot be written.
    case invalidAddress(header: String, address: String, reason: String)
    /// A Message-ID not of the form `<left@right>` (RFC 5322 §3.6.4).
    case invalidMessageID(String)
    /// A list identifier for List-Id that is not of the form `name.example.fi` (RFC 2919).
    case invalidListID(String)
    /// A URI for List-Unsubscribe or similar with white space, angle brackets or non-ASCII in it (RFC 2369 §2).
    case invalidURI(header: String, uri: String)
    /// A media type not of the form `type/subtype` with token characters (RFC 2045 §5.1).
    case invalidMediaType(String)
    /// A Content-Type or Content-Disposition parameter name that is not a plain token, or one the writer sets itself.
    case invalidParameterName(String)
    /// A multipart with no parts (RFC 2046 §5.1.1 requires at least one).
    case emptyMultipart(subtype: String)

    public var description: String {
        switch self {
        case .lineBreakInHeader(let header):
            "the \(header) header contains a line break (CR, LF or a Unicode line separator); refused so that no header can be injected"
        case .controlCharacterInHeader(let header):
            "the \(header) header contains a control character"
        case .invalidHeaderName(let name):
            "\(String(reflecting: name)) is not a valid header name (printable ASCII, no spaces or colons)"
        case .reservedHeader(let name):
            "the \(name) header is written by the message itself and cannot be given as an extra header"
        case .nonASCIIInStructuredHeader(let header):
            "the \(header) header contains non-ASCII characters, which this header cannot carry"
        case .headerLineTooLong(let header):
            "the \(header) header has a word too long for a header line of 998 octets"
        case .invalidAddress(let header, let address, let reason):
            "the address \(String(reflecting: address)) in the \(header) header cannot be written: \(reason)"
        case .invalidMessageID(let id):
            "\(String(reflecting: id)) is not a Message-ID of the form <left@right>"
        case .invalidListID(let id):
            "\(String(reflecting: id)) is not a list identifier of the form name.example.fi"
        case .invalidURI(let header, let uri):
            "\(String(reflecting: uri)) in the \(header) header is not a URI that can stand between angle brackets"
        case .invalidMediaType(let type):
            "\(String(reflecting: type)) is not a media type of the form type/subtype"
        case .invalidParameterName(let name):
            "\(String(reflecting: name)) cannot be used as a Content-Type or Content-Disposition parameter name"
        case .emptyMultipart(let subtype):
            "a multipart/\(subtype) part needs at least one part inside it"
        }
    }
}
