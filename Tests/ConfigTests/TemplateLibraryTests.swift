import Foundation
import Testing
import TestSupport
@testable import TiedotinCore

/// The admin's templates: parsed once per text, read at every use.
@Suite struct TemplateLibraryTests {
    @Test("A template rendered again and again follows every edit of its file, and a broken edit is named")
    func anEditCountsFromTheNextRenderOn() throws {
        let folder = TemporaryFolder()
        try folder.write("Hei {{nimi}}, tervetuloa aamukahveille!", to: "notice.txt.mustache")
        let library = TemplateLibrary(folder: folder.path)
        #expect(try library.render("notice.txt", ["nimi": "Pia"]) == "Hei Pia, tervetuloa aamukahveille!")
        #expect(try library.render("notice.txt", ["nimi": "Matti"]) == "Hei Matti, tervetuloa aamukahveille!")

        try folder.write("Hyvä {{nimi}}, aamukahvit siirtyvät.", to: "notice.txt.mustache")
        #expect(try library.render("notice.txt", ["nimi": "Pia"]) == "Hyvä Pia, aamukahvit siirtyvät.")

        let broken = try folder.write("Hyvä {{#nimi}}, aamukahvit siirtyvät.", to: "notice.txt.mustache")
        #expect {
            _ = try library.render("notice.txt", ["nimi": "Pia"])
        } throws: { error in
            "\(error)".hasPrefix("\(broken):1:") && "\(error)".contains("does not parse")
        }

        try folder.write("Hyvä {{nimi}}, aamukahvit peruttu.", to: "notice.txt.mustache")
        #expect(try library.render("notice.txt", ["nimi": "Pia"]) == "Hyvä Pia, aamukahvit peruttu.")
        // A copy of the library (each composer holds one) reads the same file.
        let copy = library
        #expect(try copy.render("notice.txt", ["nimi": "Matti"]) == "Hyvä Matti, aamukahvit peruttu.")
    }
}
