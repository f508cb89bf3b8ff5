import Foundation

/// The fixed words of an edition and of the editors' mail, in `organisation.language`, and its
/// dates written the way Finnish or Swedish readers write them (`tiistaina 5.1.2027`), with the
/// locale set explicitly so the machine's own locale never shows through.
struct EditionTexts: Sendable {
    let language: Configuration.Language
    let timeZone: TimeZone

    init(_ configuration: Configuration) {
        language = configuration.organisation.language
        timeZone = configuration.organisation.timeZone
    }

    private var locale: Locale {
        Locale(identifier: language == .finnish ? "fi_FI" : "sv_FI")
    }

    private func formatter(_ format: String) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = locale
        formatter.timeZone = timeZone
        formatter.calendar = Calendar(identifier: .gregorian)
        formatter.dateFormat = format
        return formatter
    }

    /// `tiistaina 5.1.2027` / `tisdag 5.1.2027` (Finnish writes a day's date in the essive: "on Tuesday").
    func day(_ date: Date) -> String {
        formatter("EEEE d.M.yyyy").string(from: date)
    }

    /// `5.1.2027`.
    func shortDay(_ date: Date) -> String {
        formatter("d.M.yyyy").string(from: date)
    }

    /// `tiistaina 5.1.2027 klo 9.00` / `tisdag 5.1.2027 kl. 9.00`.
    func dayAndTime(_ date: Date) -> String {
        day(date) + (language == .finnish ? " klo " : " kl. ") + formatter("H.mm").string(from: date)
    }

    /// An item's event date (`2026-12-03`, a local day) as `torstaina 3.12.2026`.
    func eventDay(_ text: String) -> String? {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        guard let date = calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2], hour: 12)) else {
            return nil
        }
        return day(date)
    }

    func subject(title: String, sendTime: Date) -> String { "\(title) \(shortDay(sendTime))" }

    var meetingsHeading: String { language == .finnish ? "Tulevat kokoukset" : "Kommande möten" }
    var readMore: String { language == .finnish ? "Lisätietoja" : "Mer information" }
    var contact: String { language == .finnish ? "Yhteyshenkilö" : "Kontaktperson" }
    var links: String { language == .finnish ? "Linkit" : "Länkar" }
    var readInBrowser: String { language == .finnish ? "Lue selaimessa" : "Läs i webbläsaren" }
    var unsubscribeLinkText: String { language == .finnish ? "Peru uutiskirjeen tilaus" : "Avsluta prenumerationen" }
    var archiveTitle: String { language == .finnish ? "Uutiskirjeen arkisto" : "Nyhetsbrevets arkiv" }
    var inThisEdition: String { language == .finnish ? "Tässä numerossa" : "I detta nummer" }

    func footer(organisation: String) -> String {
        switch language {
        case .finnish: "Saat tämän uutiskirjeen, koska olet mukana järjestö- ja seurakuntayhteistyön verkostoissa (\(organisation))."
        case .swedish: "Du får detta nyhetsbrev eftersom du är med i nätverken för organisations- och församlingssamarbete (\(organisation))."
        }
    }

    var unsubscribeNote: String {
        switch language {
        case .finnish: "Etkö halua enää uutiskirjettä? Peru tilaus tästä henkilökohtaisesta linkistä:"
        case .swedish: "Vill du inte längre få nyhetsbrevet? Avsluta prenumerationen med din personliga länk:"
        }
    }

    // MARK: The editors' mail

    func previewSubject(_ subject: String) -> String {
        language == .finnish ? "Esikatselu: \(subject)" : "Förhandsvisning: \(subject)"
    }

    func previewNote(sendTime: Date, approvalRequired: Bool, held: Bool) -> String {
        let when = dayAndTime(sendTime)
        var lines: [String]
        switch language {
        case .finnish:
            lines = ["Tämä on uutiskirjeen esikatselu. Numero lähtee jäsenille \(when) juuri tällaisena; myöhemmin tulleet jutut jäävät seuraavaan numeroon."]
            if approvalRequired { lines.append("Numero lähtee vasta, kun se on hyväksytty: tiedotin newsletter approve") }
            if held { lines.append("Numero on pidätetty; se lähtee vasta komennolla: tiedotin newsletter release") }
            lines.append("Pidättäminen: tiedotin newsletter hold")
        case .swedish:
            lines = ["Detta är en förhandsvisning av nyhetsbrevet. Numret skickas till medlemmarna \(when) precis så här; senare inlämnade texter väntar på nästa nummer."]
            if approvalRequired { lines.append("Numret skickas först när det har godkänts: tiedotin newsletter approve") }
            if held { lines.append("Numret är stoppat; det skickas först efter: tiedotin newsletter release") }
            lines.append("Stoppa numret: tiedotin newsletter hold")
        }
        return lines.joined(separator: "\n")
    }

    func previewStamp(sendTime: Date) -> String {
        language == .finnish ? "ESIKATSELU – lähtee \(dayAndTime(sendTime))" : "FÖRHANDSVISNING – skickas \(dayAndTime(sendTime))"
    }

    /// The placeholder a preview shows where each reader's own token goes.
    var previewToken: String { language == .finnish ? "esikatselu" : "forhandsvisning" }

    func heldNotice(_ subject: String) -> (subject: String, text: String) {
        switch language {
        case .finnish:
            ("Pidätetty: \(subject)", "Uutiskirjeen numeron \"\(subject)\" lähtöaika tuli, mutta numero on pidätetty, joten sitä ei lähetetty.\n\nNumero lähtee heti komennolla: tiedotin newsletter release")
        case .swedish:
            ("Stoppat: \(subject)", "Utskickstiden för numret \"\(subject)\" kom, men numret är stoppat och skickades inte.\n\nNumret skickas genast efter: tiedotin newsletter release")
        }
    }

    func unapprovedNotice(_ subject: String) -> (subject: String, text: String) {
        switch language {
        case .finnish:
            ("Odottaa hyväksyntää: \(subject)", "Uutiskirjeen numeron \"\(subject)\" lähtöaika tuli, mutta kukaan ei ole hyväksynyt sitä, joten sitä ei lähetetty.\n\nNumero lähtee heti, kun se hyväksytään: tiedotin newsletter approve")
        case .swedish:
            ("Väntar på godkännande: \(subject)", "Utskickstiden för numret \"\(subject)\" kom, men ingen har godkänt det, så det skickades inte.\n\nNumret skickas genast när det godkänns: tiedotin newsletter approve")
        }
    }

    func emptyNotice(_ subject: String) -> (subject: String, text: String) {
        switch language {
        case .finnish:
            ("Ei lähetetty: \(subject)", "Uutiskirjeen numeroon \"\(subject)\" ei tullut yhtään hyväksyttyä juttua, joten tyhjää numeroa ei lähetetty.\n\nUudet jutut pääsevät seuraavaan numeroon.")
        case .swedish:
            ("Inte skickat: \(subject)", "Inga godkända texter kom in till numret \"\(subject)\", så ett tomt nummer skickades inte.\n\nNya texter kommer med i nästa nummer.")
        }
    }
}
