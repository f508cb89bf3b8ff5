import Foundation

// Stand-in until the config work lands its Secrets type.
public struct Secrets: Sendable {
    let environment: [String: String]
    public init(environment: [String: String]) { self.environment = environment }
    public func smtpPassword(for configuration: Configuration) throws -> String? {
        var path = configuration.mail.smtp.passwordFile
        if let folder = environment["CREDENTIALS_DIRECTORY"], FileManager.default.fileExists(atPath: folder + "/smtp-password") {
            path = folder + "/smtp-password"
        }
        guard let path else { return nil }
        var text = try String(contentsOfFile: path, encoding: .utf8)
        if text.hasSuffix("\n") { text.removeLast() }
        return text
    }
}
