import Mustache

/// The few small HTML pages of the unsubscribe endpoint, in `organisation.language`.
///
/// Built in: the pages are part of the endpoint's contract (one button that POSTs, a confirmation
/// that says how to come back), not something to restyle. Mustache escapes every value.
struct UnsubscribePage: Sendable {
    /// Which page.
    enum Kind: Sendable {
        /// The question with its one button; the button POSTs to `action`.
        case confirm(action: String)
        /// After a POST: done, and how to come back.
        case done
        /// The link lacks a well-formed token.
        case invalidLink
        /// A POST without `List-Unsubscribe=One-Click`.
        case invalidRequest
        /// The client asked too often.
        case tooMany
        /// The database could not be written.
        case unavailable
    }

    let language: Configuration.Language
    let organisation: String
    let title: String
    /// Where a person writes to be added back.
    let contact: String

    private static let template = try! MustacheTemplate(string: """
        <!DOCTYPE html>
        <html lang="{{language}}">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="robots" content="noindex">
        <title>{{heading}}</title>
        </head>
        <body style="margin:0;background:#f4f4f2;">
        <main style="max-width:36rem;margin:2rem auto;padding:1.5rem;background:#ffffff;font-family:Arial,Helvetica,sans-serif;font-size:1rem;line-height:1.5;color:#1f2a30;">
        <p style="margin:0 0 1rem 0;font-size:0.9rem;color:#4d5b63;">{{organisation}}</p>
        <h1 style="margin:0 0 1rem 0;font-size:1.4rem;">{{heading}}</h1>
        <p>{{text}}</p>
        {{#action}}<form method="post" action="{{action}}">
        <input type="hidden" name="List-Unsubscribe" value="One-Click">
        <input type="hidden" name="via" value="page">
        <button type="submit" style="font-size:1rem;padding:0.6rem 1.2rem;border:none;border-radius:4px;background:#1f5d7a;color:#ffffff;">{{button}}</button>
        </form>{{/action}}
        </main>
        </body>
        </html>

        """)

    /// The page as HTML.
    func html(_ kind: Kind) -> String {
        let (heading, text) = texts(kind)
        var context: [String: Any] = [
            "language": language.rawValue, "organisation": organisation, "heading": heading, "text": text,
        ]
        if case .confirm(let action) = kind {
            context["action"] = action
            context["button"] = language == .finnish ? "Peru tilaus" : "Avsluta prenumerationen"
        }
        return UnsubscribePage.template.render(context)
    }

    private func texts(_ kind: Kind) -> (heading: String, text: String) {
        switch (language, kind) {
        case (.finnish, .confirm):
            ("Uutiskirjeen tilauksen peruminen",
             "Haluatko perua tilauksen \(title)? Sen jälkeen et saa uutiskirjettä etkä muita tiedotteita; "
                + "kutsut verkostojesi kokouksiin tulevat edelleen.")
        case (.finnish, .done):
            ("Tilaus on peruttu",
             "Et saa enää uutiskirjettä \(title) etkä muita tiedotteita. Jos haluat ne takaisin, kirjoita osoitteeseen \(contact).")
        case (.finnish, .invalidLink):
            ("Linkki ei kelpaa",
             "Linkistä puuttuu osa. Avaa uutiskirjeen linkki sellaisenaan tai kirjoita osoitteeseen \(contact).")
        case (.finnish, .invalidRequest):
            ("Pyyntö ei kelpaa", "Peru tilaus sivun painikkeella tai kirjoita osoitteeseen \(contact).")
        case (.finnish, .tooMany):
            ("Liian monta pyyntöä", "Yritä uudelleen hetken kuluttua.")
        case (.finnish, .unavailable):
            ("Palvelussa on häiriö", "Tilausta ei voitu perua juuri nyt. Yritä uudelleen hetken kuluttua.")
        case (.swedish, .confirm):
            ("Avsluta prenumerationen",
             "Vill du avsluta prenumerationen på \(title)? Därefter får du inte nyhetsbrevet eller andra meddelanden; "
                + "inbjudningar till dina nätverks möten kommer som förut.")
        case (.swedish, .done):
            ("Prenumerationen är avslutad",
             "Du får inte längre nyhetsbrevet \(title) eller andra meddelanden. Om du vill ha dem igen, skriv till \(contact).")
        case (.swedish, .invalidLink):
            ("Länken är ogiltig",
             "En del av länken saknas. Öppna länken i nyhetsbrevet som den är eller skriv till \(contact).")
        case (.swedish, .invalidRequest):
            ("Ogiltig förfrågan", "Avsluta prenumerationen med knappen på sidan eller skriv till \(contact).")
        case (.swedish, .tooMany):
            ("För många förfrågningar", "Försök igen om en stund.")
        case (.swedish, .unavailable):
            ("Tjänsten har en störning", "Prenumerationen kunde inte avslutas just nu. Försök igen om en stund.")
        }
    }
}
