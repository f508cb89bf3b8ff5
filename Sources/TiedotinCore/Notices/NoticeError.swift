/// Why a notice cannot be queued.
public enum NoticeError: Error, CustomStringConvertible {
    case unknownNetwork(String, known: [String])
    case nobodyToSendTo([String])
    case lineBreakInSubject

    public var description: String {
        switch self {
        case .unknownNetwork(let id, let known):
            "there is no network \"\(id)\" in the config; known networks: \(known.joined(separator: ", "))"
        case .nobodyToSendTo(let networks):
            "nobody to send to: the networks \(networks.joined(separator: ", ")) have no members who take notices"
        case .lineBreakInSubject:
            "the subject contains a line break; write it on one line"
        }
    }
}
