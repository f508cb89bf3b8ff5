import ArgumentParser
import Foundation
import TiedotinCore

/// `tiedotin intake`: one pass over the drop folder.
struct IntakeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "intake", abstract: "Process the drop folder once.",
        discussion: """
            Every file in DROP/incoming/ that has been unchanged for intake.settle goes to \
            DROP/accepted/ (and into the next edition) or to DROP/rejected/ with NAME.error.txt \
            saying what is wrong, on which line, and how to fix it. Files still being written are \
            left for later and counted. Hidden and temporary names (.*, *.tmp, *.part, ~*) are left \
            alone. Safe to run while the service runs: one pass at a time takes files.
            """)
    @OptionGroup var config: ConfigOptions

    func run() async throws {
        let context = try CommandContext.open(config)
        let intake = DropFolderIntake(configuration: context.configuration, store: context.store, logger: context.logger)
        let report: IntakeReport
        do {
            report = try intake.runPass(now: Date())
        } catch {
            printError(error.description)
            throw ExitCode(1)
        }
        print("accepted \(report.accepted.count), rejected \(report.rejected.count), not settled yet \(report.unsettled)")
        for name in report.accepted { print("  accepted/\(name)") }
        for name in report.rejected { print("  rejected/\(name) (see rejected/\(name).error.txt)") }
        if report.unsettled > 0 {
            print("\(report.unsettled) file(s) changed less than \(context.configuration.intake.settle.configurationText) ago; run again later")
        }
        if report.failed > 0 {
            printError("\(report.failed) file(s) could not be handled now (see the messages above); they stay in incoming/")
            throw ExitCode(1)
        }
        if context.configuration.intake.acknowledge, !report.accepted.isEmpty || !report.rejected.isEmpty {
            // A running service sends the acknowledgements at once; a wake reaches only a ready one.
            WakeSocket.wake(context.configuration.paths.wakeSocket)
        }
    }
}
