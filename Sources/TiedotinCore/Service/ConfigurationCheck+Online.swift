import Foundation
import Logging

extension ConfigurationCheck {
    /// The stages of `check-config --online`, after the offline ones (the OAuth token request is
    /// part of the relay's login; a later check is one more stage here).
    public static let onlineStages: [Stage] = [.relay]
}

extension ConfigurationCheck.Stage {
    /// Fetches an OAuth token when the login needs one, then logs in to the relay as delivery
    /// would (EHLO, STARTTLS, AUTH) and leaves without sending.
    public static let relay = ConfigurationCheck.Stage(name: "relay") { input in
        guard let configuration = input.configuration else {
            return .init(notes: ["online: the relay was not tried, because of the problems in the config"])
        }
        let report = RelayLoginCheck(
            mail: configuration.mail, secrets: Secrets(environment: input.environment),
            logger: Logger(label: "tiedotin", factory: { _ in SwiftLogNoOpLogHandler() })
        ).run()
        guard let failure = report.failure else { return .init(notes: report.lines) }
        return .init(problems: [input.locator.problem(report.failureKey ?? "mail.smtp.url", failure)], notes: report.lines)
    }
}
