/// The few fixed texts members read, in `organisation.language`.
struct FixedTexts: Sendable {
    let language: Configuration.Language

    init(_ language: Configuration.Language) {
        self.language = language
    }

    func noticeFooter(networks: [String]) -> String {
        let list = networks.joined(separator: ", ")
        switch (language, networks.count) {
        case (.finnish, 1): return "Tämä tiedote lähetettiin verkoston \(list) jäsenille."
        case (.finnish, _): return "Tämä tiedote lähetettiin näiden verkostojen jäsenille: \(list)."
        case (.swedish, 1): return "Detta meddelande skickades till medlemmarna i nätverket \(list)."
        case (.swedish, _): return "Detta meddelande skickades till medlemmarna i nätverken: \(list)."
        }
    }

    var unsubscribeHint: String {
        switch language {
        case .finnish: return "Etkö halua enää tiedotteita? Käytä sähköpostiohjelmasi ”Peru tilaus” -toimintoa tai vastaa tähän viestiin."
        case .swedish: return "Vill du inte längre få meddelanden? Använd funktionen ”Avsluta prenumeration” i ditt e-postprogram eller svara på detta meddelande."
        }
    }
}
