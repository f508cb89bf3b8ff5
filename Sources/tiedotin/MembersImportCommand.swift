import ArgumentParser
import Foundation
import TiedotinCore

/// `tiedotin members import FILE.csv [--skip-invalid] [--sync NETWORK]`.
struct MembersImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Add the members in a CSV file.",
        discussion: """
            The file is UTF-8 CSV with the header email,name,organisation,networks; networks are ids from \
            the config separated by ';'. A person on several rows is one member on all their networks; \
            a non-empty name or organisation replaces the stored one. Nothing changes if any row is bad: \
            every bad row is listed as FILE:LINE: why, and the command exits 1. Importing the same file \
            again changes nothing. Unsubscribes and undeliverable marks are kept.
            """)

    @OptionGroup var config: ConfigOptions
    @Argument(help: ArgumentHelp("The CSV file.", valueName: "file.csv")) var file: String
    @Flag(help: "Import the good rows and list the bad ones instead of importing nothing.") var skipInvalid = false
    @Option(help: ArgumentHelp("""
        Make the file exactly this network's members: every row joins it (besides the row's own networks), \
        and its members missing from the file leave it; one left on no network is deleted. \
        A skipped row's address stays.
        """, valueName: "network")) var sync: String?

    func run() async throws {
        let lists = try MembersCommand.open(config)
        let memberFile = try MembersCommand.reporting { try MemberFile.read(path: file) }
        let report: ImportReport
        do {
            report = try lists.importMembers(memberFile, skipInvalid: skipInvalid, sync: sync, at: Date())
        } catch let error as MemberImportError {
            printError(error.description)
            let rows = Set(error.problems.compactMap(\.line)).count
            printError("Nothing was imported: \(rows) \(rows == 1 ? "row has" : "rows have") a problem. "
                + "Correct \(rows == 1 ? "it" : "them"), or import the other rows with --skip-invalid.")
            throw ExitCode(1)
        } catch let error as MemberError {
            printError(error.description)
            throw ExitCode(1)
        } catch {
            printError("\(error)")
            throw ExitCode(1)
        }
        for problem in report.skipped {
            printError(ImportProblem(line: problem.line, message: "skipped: " + problem.message).formatted(file: file))
        }
        print("\(file): \(report.summary)")
        if let network = report.syncedNetwork {
            for email in report.removed {
                print("  left \(network): \(email)\(report.deleted.contains(email) ? " (on no network now: deleted)" : "")")
            }
        }
    }
}
