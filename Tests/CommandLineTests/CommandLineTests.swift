import Testing
import TestSupport

/// The command's surface: every command of the contract is there, and usage errors are 64.
@Suite struct CommandLineTests {
    @Test func helpListsEveryCommandOfTheContract() throws {
        let help = try TiedotinBinary.run(["--help"])
        #expect(help.status == 0)
        for command in ["serve", "check-config", "status", "members", "unsubscribe", "intake", "newsletter", "meetings", "announce", "outbox"] {
            #expect(help.output.contains("  \(command) "), "tiedotin --help lacks \(command)")
        }
        let members = try TiedotinBinary.run(["members", "--help"])
        for command in ["add", "remove", "list", "import", "unsubscribe", "resubscribe"] {
            #expect(members.output.contains("  \(command) "), "tiedotin members --help lacks \(command)")
        }
        let newsletter = try TiedotinBinary.run(["newsletter", "--help"])
        for command in ["preview", "send-now", "hold", "release", "approve"] {
            #expect(newsletter.output.contains("  \(command) "), "tiedotin newsletter --help lacks \(command)")
        }
        let outbox = try TiedotinBinary.run(["outbox", "--help"])
        for command in ["status", "retry"] {
            #expect(outbox.output.contains("  \(command) "))
        }
    }

    @Test func usageErrorsExitSixtyFour() throws {
        #expect(try TiedotinBinary.run(["no-such-command"]).status == 64)
        #expect(try TiedotinBinary.run(["announce", "--subject", "x"]).status == 64)
        #expect(try TiedotinBinary.run(["serve", "--log-level", "loud"]).status == 64)
    }
}
