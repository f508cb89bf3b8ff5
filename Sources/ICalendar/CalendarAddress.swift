/// A person in an invitation, the organizer or an attendee: an e-mail address and, if known, a name
/// that clients show instead of the address (the `CN` parameter, RFC 5545 §3.2.2).
public struct CalendarAddress: Sendable, Equatable, Hashable {
    /// The name to show, e.g. "Lindqvist, Åsa"; nil or empty for none.
    public var name: String?
    /// The e-mail address, `local@domain`, the domain in ASCII (an internationalised domain in its
    /// `xn--` form).
    public var email: String

    /// An address with an optional name.
    public init(name: String? = nil, email: String) {
        self.name = name
        self.email = email
    }

    /// The address as a CAL-ADDRESS value (§3.3.3): a `mailto:` URI (RFC 6068), characters a URI cannot
    /// carry in the local part percent-encoded as UTF-8.
    func mailtoURI(property: String) throws(ICalendarError) -> String {
        try SingleLineValue.checkNonEmpty(email, property: property)
        func refuse(_ reason: String) -> ICalendarError {
            .invalidAddress(property: property, address: email, reason: reason)
        }
        guard let at = email.utf8.lastIndex(of: UInt8(ascii: "@")) else { throw refuse("it has no @") }
        let local = email.utf8[..<at]
        let domain = email.utf8[email.utf8.index(after: at)...]
        guard !local.isEmpty else { throw refuse("the part before the @ is empty") }
        guard !domain.isEmpty else { throw refuse("the domain after the @ is empty") }
        let domainByte: (UInt8) -> Bool = { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."):
                true
            default: false
            }
        }
        guard domain.allSatisfy(domainByte) else {
            throw refuse("the domain must be letters, digits, hyphens and dots (an internationalised domain in its xn-- form)")
        }
        var uri: [UInt8] = Array("mailto:".utf8)
        for byte in local {
            switch byte {
            case 0x00...0x20, 0x7F, UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\""), UInt8(ascii: "@"):
                throw refuse("the part before the @ has spaces, angle brackets, quotes or control characters")
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"),
                UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "'"), UInt8(ascii: "("), UInt8(ascii: ")"),
                UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: ";"), UInt8(ascii: ":"):
                // RFC 6068 §2 qchar: unreserved and some-delims stand as they are; a comma, which would
                // read as a second address, is percent-encoded with the rest.
                uri.append(byte)
            default:
                uri.append(UInt8(ascii: "%"))
                uri.append(Self.hexDigits[Int(byte >> 4)])
                uri.append(Self.hexDigits[Int(byte & 0x0F)])
            }
        }
        uri.append(UInt8(ascii: "@"))
        uri.append(contentsOf: domain)
        return String(decoding: uri, as: UTF8.self)
    }

    /// The `CN` parameter, or none when there is no name.
    func nameParameter(property: String) throws(ICalendarError) -> [ContentLineWriter.Parameter] {
        guard let name, !name.isEmpty else { return [] }
        return [try ContentLineWriter.Parameter("CN", name, property: property)]
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)
}
