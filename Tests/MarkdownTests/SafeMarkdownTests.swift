import Testing
import TiedotinCore

/// What a reader sees of submitted Markdown: text, never markup or scripts from the submitter.
@Suite struct SafeMarkdownTests {
    @Test func rawHTMLBlocksAndInlineTagsAreShownAsText() {
        let html = SafeMarkdown.html("""
            Tervetuloa perehdytykseen!

            <script>alert("x")</script>

            Lisätietoja <b onclick="steal()">täältä</b>.
            """)
        #expect(!html.contains("<script"))
        #expect(!html.contains("<b "))
        #expect(html.contains("&lt;script&gt;"))
        #expect(html.contains("Tervetuloa perehdytykseen!"))
        #expect(html.contains("Lisätietoja &lt;b onclick=&quot;steal()&quot;&gt;täältä&lt;/b&gt;."))
        #expect(SafeMarkdownTests.activeMarkup(in: html).isEmpty)
    }

    @Test func onlyHTTPHTTPSAndMailtoLinksSurvive() {
        let html = SafeMarkdown.html("""
            [Ilmoittaudu](https://example.fi/ilmoittaudu), [kirjoita](mailto:pia.kangas@example.fi), \
            [klikkaa](javascript:alert(1)), [tiedosto](file:///etc/passwd), [data](data:text/html,x)
            """)
        #expect(html.contains("<a href=\"https://example.fi/ilmoittaudu\">Ilmoittaudu</a>"))
        #expect(html.contains("<a href=\"mailto:pia.kangas@example.fi\">kirjoita</a>"))
        #expect(!html.contains("javascript:"))
        #expect(!html.contains("file:"))
        #expect(!html.contains("data:"))
        #expect(html.contains("klikkaa"))
    }

    @Test func aQuoteInALinkTargetCannotAddAttributes() {
        let html = SafeMarkdown.html(#"[x](https://example.fi/"onmouseover="alert(1))"#)
        #expect(!html.contains("onmouseover=\""))
    }

    @Test func imagesBecomeTheirAltText() {
        let html = SafeMarkdown.html("![Kehräämön kartta](https://example.fi/kartta.png)")
        #expect(!html.contains("<img"))
        #expect(html.contains("Kehräämön kartta"))
    }

    @Test func linkTextThatLooksLikeAnotherAddressShowsTheRealTarget() {
        let html = SafeMarkdown.html("[https://pohde.fi](https://huijaus.example.com/)")
        #expect(html.contains("https://huijaus.example.com/"))
        #expect(html.contains("(<a href=\"https://huijaus.example.com/\">https://huijaus.example.com/</a>)"))
        let honest = SafeMarkdown.html("[https://pohde.fi/tapahtumat](https://pohde.fi/tapahtumat)")
        #expect(honest == "<p><a href=\"https://pohde.fi/tapahtumat\">https://pohde.fi/tapahtumat</a></p>")
    }

    @Test func plainTextSaysWhatTheHTMLSays() {
        let text = SafeMarkdown.text("""
            # Aamukahvit

            **Tervetuloa** [ilmoittautumaan](https://example.fi/ilmoittaudu)! ![logo](https://example.fi/logo.png)
            """)
        #expect(text == "Aamukahvit\n\nTervetuloa ilmoittautumaan <https://example.fi/ilmoittaudu>! logo")
    }

    /// Ink escaped everything after an unclosed tag as one block of text, links and all.
    @Test func anUnclosedTagNeitherActsNorSwallowsTheRestOfTheItem() {
        let markdown = """
            Tervetuloa! <img src=x onerror=alert(1)>

            <img src=x onerror=alert(1)> Ilmoittaudu [tästä](https://example.fi/ilmoittaudu) viimeistään **27.1.2027**.

            ## Ilmoittautuminen

            <script>alert(2)</script> [Lomake](https://example.fi/lomake)
            """
        let rendering = SafeMarkdown.render(markdown)
        #expect(rendering.html.contains("<a href=\"https://example.fi/ilmoittaudu\">tästä</a>"))
        #expect(rendering.html.contains("<a href=\"https://example.fi/lomake\">Lomake</a>"))
        #expect(rendering.html.contains("<h2>Ilmoittautuminen</h2>"))
        #expect(rendering.html.contains("<strong>27.1.2027</strong>"))
        #expect(rendering.html.contains("&lt;img src=x onerror=alert(1)&gt;"))
        #expect(SafeMarkdownTests.activeMarkup(in: rendering.html).isEmpty, "\(rendering.html)")
        #expect(rendering.text.contains("Ilmoittaudu tästä <https://example.fi/ilmoittaudu> viimeistään 27.1.2027."))
        #expect(rendering.text.contains("Lomake <https://example.fi/lomake>"))
    }

    @Test func javascriptURLsInAutolinksAndReferencesAreDropped() {
        let html = SafeMarkdown.html("""
            <javascript:alert(1)> ja [viite][x] ja <https://pohde.fi/jarjestoille>

            [x]: javascript:alert(2)
            """)
        // The unsafe ones stay as inert text; the one link is the https one.
        #expect(html.components(separatedBy: "href=").count == 2)
        #expect(!html.contains("href=\"java"))
        #expect(html.contains("<a href=\"https://pohde.fi/jarjestoille\">https://pohde.fi/jarjestoille</a>"))
        #expect(html.contains("viite"))
    }

    @Test func listsAndQuotesReadTheSameInBothRenderings() {
        let rendering = SafeMarkdown.render("""
            - Esitykset viimeistään 27.1.2027
            - Muistiot: [Pohde.fi](https://pohde.fi/jarjestoille)

            > Tervetuloa!
            """)
        #expect(rendering.html.contains("<li>Esitykset viimeistään 27.1.2027</li>"))
        #expect(rendering.html.contains("<blockquote>\n<p>Tervetuloa!</p>\n</blockquote>"))
        #expect(rendering.text == "- Esitykset viimeistään 27.1.2027\n- Muistiot: Pohde.fi <https://pohde.fi/jarjestoille>\n\n> Tervetuloa!")
    }

    @Test func deepNestingDoesNotExhaustTheStack() {
        let rendering = SafeMarkdown.render(String(repeating: "> ", count: 3_000) + "syvällä")
        #expect(rendering.text.hasSuffix("syvällä"))
        #expect(rendering.html.contains("syvällä"))
    }

    /// Every tag in `html` that is not one the renderer writes itself, with only `href` (and an
    /// ordered list's `start`) as attributes: anything a mail client might run or load.
    static func activeMarkup(in html: String) -> [String] {
        let allowed = #/</?(p|a|strong|em|ul|ol|li|h[1-6]|blockquote|pre|code|br|hr)( href="(https?|mailto):[^"<>]*"| start="\d+")? ?/?>/#
        return html.matches(of: #/<[^>]*>?/#).map { String($0.output) }.filter { $0.wholeMatch(of: allowed) == nil }
    }
}
