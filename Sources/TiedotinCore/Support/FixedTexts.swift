/// The few fixed texts members read, in `organisation.language`.
struct FixedTexts: Sendable {
    let language: Configuration.Language

    init(_ language: Configuration.Language) {
        self.language = language
    }

    func noticeFooter(networks: [String]) -> String {
        let list = networks.joined(separator: ", ")
        switch language {
        case .finnish: return "Tämä tiedote lähetettiin näiden verkostojen jäsenille: \(list)."
        case .swedish: return "Detta meddelande skickades till medlemmarna i nätverken: \(list)."
        }
    }

    var unsubscribeHint: String {
        switch language {
        case .finnish: return "Etkö halua enää tiedotteita? Käytä sähköpostiohjelmasi ”Peru tilaus” -toimintoa tai vastaa tähän viestiin."
        case .swedish: return "Vill du inte längre få meddelanden? Använd funktionen ”Avsluta prenumeration” i ditt e-postprogram eller svara på detta meddelande."
        }
    }
}
