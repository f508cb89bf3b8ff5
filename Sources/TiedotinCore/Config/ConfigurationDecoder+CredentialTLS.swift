import Foundation

/// No credential crosses the network in clear: a password or an XOAUTH2 token goes to the relay
/// only under TLS that cannot be stripped (`starttls: required` or `smtps://`), and the OAuth
/// client secret only over https, unless the other end is on this machine's loopback address.
extension ConfigurationDecoder {
    func checkCredentialTLS(
        _ smtp: MappingReader, url: URL, startTLS: Configuration.StartTLSPolicy, auth: Configuration.Authentication
    ) {
        guard auth != .none, url.scheme?.lowercased() == "smtp", startTLS != .required,
              !LoopbackHost.contains(url.host) else { return }
        let what = auth == .password ? "the password" : "the OAuth token"
        let message = "is \(startTLS.rawValue) while auth is \(auth.rawValue): \(what) would cross the network in clear "
            + "(a man in the middle can strip STARTTLS and read it); write starttls: required, or use "
            + "url: smtps://\(url.host ?? "mail.example.fi"):465"
        if let value = smtp.value("starttls") {
            value.report(message)
        } else {
            problems.add(at: smtp.position(of: "starttls"), key: smtp.child("starttls"), message)
        }
    }

    /// `mail.smtp.oauth.token_url` carries the client secret: https, or http only to the loopback address.
    func checkTokenURLTLS(_ value: ValueReader?, url: URL) {
        guard url.scheme?.lowercased() == "http", !LoopbackHost.contains(url.host) else { return }
        value?.report("the token request carries the client secret, so it must go over https; "
            + "write token_url: https://\(url.host ?? "login.microsoftonline.com")\(url.path)")
    }
}

/// Whether a host name is this machine's own loopback address, where nothing crosses a network.
enum LoopbackHost {
    static func contains(_ host: String?) -> Bool {
        guard var host = host?.lowercased() else { return false }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host == "localhost" || host == "::1" || host == "0:0:0:0:0:0:0:1" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }
}
