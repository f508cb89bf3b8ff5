import MIME
import Testing

/// RFC 3492 Punycode, for domains with non-ASCII letters in headers.
@Suite struct PunycodeTests {
    @Test("§7.1 sample strings and familiar examples encode as the RFC says")
    func samples() {
        #expect(Punycode.encode("3年B組金八先生") == "3B-ww4c5e180e575a65lsy2b")  // (L)
        #expect(Punycode.encode("安室奈美恵-with-SUPER-MONKEYS") == "-with-SUPER-MONKEYS-pc58ag80a8qai00g7n9n")  // (M)
        #expect(Punycode.encode("Hello-Another-Way-それぞれの場所") == "Hello-Another-Way--fc4qua05auwb3674vfr0b")  // (N)
        #expect(Punycode.encode("bücher") == "bcher-kva")
        #expect(Punycode.encode("äiti") == "iti-pla")
    }

    @Test("Domains: only non-ASCII labels change, lowercased and composed first")
    func domains() {
        #expect(Punycode.asciiDomain("pohde.example.fi") == "pohde.example.fi")
        #expect(Punycode.asciiDomain("Yhdistyslä.example.fi") == "xn--yhdistysl-32a.example.fi")
        #expect(Punycode.asciiDomain("yhdistysla\u{308}.example.fi") == "xn--yhdistysl-32a.example.fi")
    }
}
