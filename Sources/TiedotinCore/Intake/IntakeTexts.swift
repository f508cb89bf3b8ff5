/// What submitters read about their items, in `organisation.language`: the rejection file,
/// and the acknowledgement mail's fixed parts.
struct IntakeTexts: Sendable {
    let language: Configuration.Language

    init(_ language: Configuration.Language) {
        self.language = language
    }

    /// `NAME.error.txt`: what is wrong, where, and how to fix it, one paragraph per problem.
    func rejection(of name: String, problems: [IntakeProblem]) -> String {
        var lines = [heading(name), ""]
        for problem in problems {
            let (what, fix) = explain(problem)
            lines.append(fi("Rivi", "Rad") + " \(problem.line): \(what)")
            lines.append(fi("Korjaus", "Så här rättar du") + ": \(fix)")
            lines.append("")
        }
        lines.append(fi(
            "Korjaa tiedosto ja tallenna se uudelleen kansioon incoming/. Rivit lasketaan tiedoston alusta (rivi 1 on ensimmäinen ---).",
            "Rätta filen och spara den på nytt i mappen incoming/. Raderna räknas från filens början (rad 1 är den första ---)."))
        return lines.joined(separator: "\n") + "\n"
    }

    func heading(_ name: String) -> String {
        fi("Tiedotetta \(name) ei otettu vastaan.", "Meddelandet \(name) togs inte emot.")
    }

    /// One line per problem, for the acknowledgement mail.
    func summary(_ problems: [IntakeProblem]) -> [String] {
        problems.map { problem in
            let (what, fix) = explain(problem)
            return fi("Rivi", "Rad") + " \(problem.line): \(what) \(fix)"
        }
    }

    var acceptedSubject: String { fi("Tiedote vastaanotettu", "Meddelandet har tagits emot") }
    var rejectedSubject: String { fi("Tiedotetta ei voitu ottaa vastaan", "Meddelandet kunde inte tas emot") }

    private func fi(_ finnish: String, _ swedish: String) -> String {
        language == .finnish ? finnish : swedish
    }

    private func explain(_ problem: IntakeProblem) -> (what: String, fix: String) {
        let example = "---\ntitle: …\norganisation: …\nsection: …\n---"
        switch problem {
        case .symbolicLink:
            return (fi("tiedosto on symbolinen linkki, ei tavallinen tiedosto.", "filen är en symbolisk länk, inte en vanlig fil."),
                    fi("tallenna itse tekstitiedosto kansioon incoming/.", "spara själva textfilen i mappen incoming/."))
        case .notRegularFile:
            return (fi("tämä ei ole tavallinen tiedosto (esimerkiksi kansio).", "detta är inte en vanlig fil (till exempel en mapp)."),
                    fi("tallenna jokainen tiedote omana tekstitiedostonaan kansioon incoming/.",
                       "spara varje meddelande som en egen textfil i mappen incoming/."))
        case .hardLink:
            return (fi("tiedostolla on muitakin nimiä (kova linkki), joten se voi olla jonkun muun tiedosto.",
                       "filen har också andra namn (hård länk), så den kan vara någon annans fil."),
                    fi("tallenna tiedote uutena tiedostona kansioon incoming/ (esimerkiksi kopioimalla, ei linkittämällä).",
                       "spara meddelandet som en ny fil i mappen incoming/ (till exempel genom att kopiera, inte länka)."))
        case .nameNotUTF8:
            return (fi("tiedoston nimessä on merkkejä, joita ei voi lukea (nimi ei ole UTF-8).",
                       "filnamnet innehåller tecken som inte kan läsas (namnet är inte UTF-8)."),
                    fi("anna tiedostolle nimi, jossa on vain kirjaimia, numeroita ja viivoja, esimerkiksi perehdytys.md.",
                       "ge filen ett namn med bara bokstäver, siffror och bindestreck, till exempel introduktion.md."))
        case .tooLarge(let size, let limit):
            return (fi("tiedosto on liian suuri (\(size) tavua, enintään \(limit)).",
                       "filen är för stor (\(size) byte, högst \(limit))."),
                    fi("lyhennä tekstiä; kuvia ei voi liittää, linkitä ne.",
                       "korta texten; bilder kan inte bifogas, länka till dem."))
        case .notUTF8:
            return (fi("rivillä on merkkejä, jotka eivät ole UTF-8-muodossa.", "raden har tecken som inte är i UTF-8-format."),
                    fi("tallenna tiedosto tekstieditorissa UTF-8-merkistöllä (esimerkiksi Muistio: Tallenna nimellä → Koodaus: UTF-8).",
                       "spara filen i textredigeraren med teckenkodningen UTF-8 (till exempel Anteckningar: Spara som → Kodning: UTF-8)."))
        case .noFrontMatter:
            return (fi("tiedosto ei ala tietolohkolla (ensimmäisen rivin pitää olla ---).",
                       "filen börjar inte med ett informationsblock (första raden ska vara ---)."),
                    fi("aloita tiedosto näin:\n\(example)\nja kirjoita teksti sen jälkeen.",
                       "börja filen så här:\n\(example)\noch skriv texten efter det."))
        case .unclosedFrontMatter:
            return (fi("tietolohko alkaa rivillä 1 mutta ei pääty: ---‑riviä ei löydy.",
                       "informationsblocket börjar på rad 1 men slutar inte: raden --- saknas."),
                    fi("lisää tietojen jälkeen oma rivi, jolla on vain ---.", "lägg till en egen rad med bara --- efter uppgifterna."))
        case .yamlSyntax(_, let detail):
            return (fi("tietolohkoa ei voi lukea (\(detail)).", "informationsblocket kan inte läsas (\(detail))."),
                    fi("kirjoita jokainen tieto omalle rivilleen muodossa nimi: arvo. Jos arvossa on kaksoispiste ja välilyönti, laita arvo lainausmerkkeihin.",
                       "skriv varje uppgift på en egen rad i formen namn: värde. Om värdet innehåller kolon och mellanslag, sätt det inom citattecken."))
        case .frontMatterNotMapping:
            return (fi("tietolohkossa pitää olla rivejä muodossa nimi: arvo.", "informationsblocket ska ha rader i formen namn: värde."),
                    fi("kirjoita esimerkiksi: title: Vapaaehtoistoiminnan perehdytys", "skriv till exempel: title: Introduktion för frivilliga"))
        case .unknownField(let key, _, let suggestion):
            let hint = suggestion.map { fi("tarkoititko \($0)? ", "menade du \($0)? ") } ?? ""
            return (fi("tuntematon tieto \(key).", "okänd uppgift \(key)."),
                    hint + fi("sallitut tiedot ovat \(ItemFields.allowedList).", "tillåtna uppgifter är \(ItemFields.allowedList)."))
        case .duplicateField(let key, _):
            return (fi("tieto \(key) on annettu kahdesti.", "uppgiften \(key) finns två gånger."),
                    fi("jätä tiedosta vain yksi rivi.", "behåll bara en rad med uppgiften."))
        case .missingField(let key):
            return (fi("pakollinen tieto \(key) puuttuu.", "den obligatoriska uppgiften \(key) saknas."),
                    fi("lisää tietolohkoon rivi \(key): \(placeholder(key)).", "lägg till raden \(key): \(placeholder(key)) i informationsblocket."))
        case .notText(let key, _):
            return (fi("tiedon \(key) arvo on tyhjä tai ei ole tekstiä.", "värdet för \(key) är tomt eller inte text."),
                    fi("kirjoita arvo samalle riville: \(key): \(placeholder(key)).", "skriv värdet på samma rad: \(key): \(placeholder(key))."))
        case .unknownSection(let value, _, let configured):
            return (fi("osiota \(value) ei ole uutiskirjeessä.", "avsnittet \(value) finns inte i nyhetsbrevet."),
                    fi("valitse jokin näistä: \(configured.joined(separator: ", ")).", "välj något av dessa: \(configured.joined(separator: ", "))."))
        case .badDate(let field, let value, _):
            return (fi("\(field): \(value) ei ole päivämäärä.", "\(field): \(value) är inget datum."),
                    fi("kirjoita päivämäärä muodossa VVVV-KK-PP, esimerkiksi \(field): 2027-02-10.",
                       "skriv datumet i formen ÅÅÅÅ-MM-DD, till exempel \(field): 2027-02-10."))
        case .publishUntilPassed(let value, _):
            return (fi("publish_until \(value) on jo mennyt, joten tiedotetta ei voisi enää julkaista.",
                       "publish_until \(value) har redan passerat, så meddelandet kan inte längre publiceras."),
                    fi("anna myöhäisempi päivä tai poista rivi.", "ange ett senare datum eller ta bort raden."))
        case .badLink(let value, _):
            return (fi("linkki \(value) ei ole kelvollinen: vain http-, https- ja mailto-linkit ovat sallittuja.",
                       "länken \(value) är inte giltig: bara http-, https- och mailto-länkar är tillåtna."),
                    fi("kirjoita koko osoite, esimerkiksi link: https://example.fi/ilmoittaudu.",
                       "skriv hela adressen, till exempel link: https://example.fi/anmalan."))
        case .badContact(let value, _):
            return (fi("yhteystieto \(value) ei ole sähköpostiosoite.", "kontaktuppgiften \(value) är ingen e-postadress."),
                    fi("kirjoita esimerkiksi contact: Pia Kangas <pia.kangas@example.fi>.",
                       "skriv till exempel contact: Pia Kangas <pia.kangas@example.fi>."))
        case .duplicate(let existing):
            return (fi("sama tiedote on jo vastaanotettu nimellä \(existing).", "samma meddelande har redan tagits emot som \(existing)."),
                    fi("samaa tiedotetta ei tarvitse lähettää uudelleen. Jos haluat muuttaa sitä, ota yhteys uutiskirjeen toimittajaan.",
                       "du behöver inte skicka samma meddelande igen. Om du vill ändra det, kontakta nyhetsbrevets redaktör."))
        }
    }

    private func placeholder(_ key: String) -> String {
        switch key {
        case "title": fi("Tiedotteen otsikko", "Meddelandets rubrik")
        case "organisation": fi("Järjestön nimi ry", "Föreningens namn rf")
        case "section": fi("osion tunnus", "avsnittets id")
        default: "…"
        }
    }
}
