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
}
