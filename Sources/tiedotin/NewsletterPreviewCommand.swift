import ArgumentParser
import Foundation
import TiedotinCore

/// `tiedotin newsletter preview [--out DIR]`.
struct NewsletterPreviewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preview",
        abstract: "Compile the next edition from what is accepted now into DIR/edition.html and DIR/edition.txt; send nothing.",
        discussion: "When the edition is already fixed (its preview was mailed), that is what is written. Open edition.html in a browser.")
    @OptionGroup var config: ConfigOptions
    @Option(help: ArgumentHelp("Where to write the preview.", valueName: "dir")) var out = "preview"

    func run() async throws {
        let context = try CommandContext.open(config)
        let desk = try context.editionDesk()
        let preview = try context.editionStep { try desk.preview(now: Date()) }
        let folder = URL(fileURLWithPath: out)
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(preview.html.utf8).write(to: folder.appendingPathComponent("edition.html"))
            try Data(preview.text.utf8).write(to: folder.appendingPathComponent("edition.txt"))
        } catch {
            printError("\(out): cannot write the preview (\(error.localizedDescription))")
            throw ExitCode(1)
        }
        let what = preview.fixed ? "the fixed edition" : "the next edition as it stands now"
        print("wrote \(what) with \(preview.items) items to \(folder.appendingPathComponent("edition.html").path) and edition.txt")
    }
}
