/// The kinds of header value: unstructured text, phrases and addresses, structured values and parameters.
extension HeaderWriter {
    /// Unstructured text (RFC 5322 §3.2.5, e.g. Subject): ASCII words as they are, runs of words that need
    /// it as RFC 2047 encoded words (§5(1)). White space at either end is dropped.
    mutating func appendText(_ value: String) throws(MIMEError) {
        let bytes = Array(value.utf8)
        let words = Self.words(of: bytes)
        var index = 0
        while index < words.count {
            let whitespace = index == 0 ? Self.space : bytes[words[index].whitespace]
            guard Self.needsEncodingInText(bytes[words[index].word]) else {
                try append(bytes[words[index].word], after: whitespace)
                index += 1
                continue
            }
            // White space between two encoded words is dropped by decoders (RFC 2047 §6.2), so a run
            // of such words is encoded as one piece, white space inside it.
            var last = index
            while last + 1 < words.count, Self.needsEncodingInText(bytes[words[last + 1].word]) { last += 1 }
            try appendEncoded(bytes[words[index].word.lowerBound..<words[last].word.upperBound], context: .text, after: whitespace)
            index = last + 1
        }
    }

    /// A display name (RFC 5322 §3.2.5 `phrase`): atoms as they are; ASCII with specials as one quoted
    /// string; with non-ASCII, every word that is not a plain atom as encoded words (RFC 2047 §5(3)).
    mutating func appendPhrase(_ value: String) throws(MIMEError) {
        let bytes = Array(value.utf8)
        let words = Self.words(of: bytes).map { bytes[$0.word] }
        if words.allSatisfy(Self.isPlainAtom) {
            for word in words { try append(word, after: Self.space) }
        } else if words.allSatisfy(Self.isQuotable) {
            for (index, word) in words.enumerated() {
                var quoted = [UInt8]()
                if index == 0 { quoted.append(ASCII.quote) }
                for byte in word {
                    if byte == ASCII.quote || byte == ASCII.backslash { quoted.append(ASCII.backslash) }
                    quoted.append(byte)
                }
                if index == words.count - 1 { quoted.append(ASCII.quote) }
                try append(quoted, after: Self.space)
            }
        } else {
            var index = 0
            while index < words.count {
                guard !Self.isPlainAtom(words[index]) else {
                    try append(words[index], after: Self.space)
                    index += 1
                    continue
                }
                var last = index
                while last + 1 < words.count, !Self.isPlainAtom(words[last + 1]) { last += 1 }
                // Words were split at any run of white space; the phrase is rebuilt with single spaces.
                var run = [UInt8]()
                for word in words[index...last] {
                    if !run.isEmpty { run.append(ASCII.space) }
                    run.append(contentsOf: word)
                }
                try appendEncoded(run[...], context: .phrase, after: Self.space)
                index = last + 1
            }
        }
    }

    /// Mailboxes separated by commas: `Name <local@domain>` or `local@domain` (RFC 5322 §3.4).
    mutating func appendAddresses(_ addresses: [EmailAddress]) throws(MIMEError) {
        for (index, address) in addresses.enumerated() {
            var spec = try Self.addressSpecification(address, header: header)
            if let name = address.displayName, !name.allSatisfy({ $0 == " " || $0 == "\t" }) {
                try Self.checkValue(name, header: header)
                try appendPhrase(name)
                spec = [UInt8(ascii: "<")] + spec + [UInt8(ascii: ">")]
            }
            if index < addresses.count - 1 { spec.append(UInt8(ascii: ",")) }
            try append(spec, after: Self.space)
        }
    }

    /// A structured value written as given: ASCII only, folded only where it has white space.
    mutating func appendStructured(_ value: String) throws(MIMEError) {
        guard value.utf8.allSatisfy({ $0 < 0x80 }) else { throw .nonASCIIInStructuredHeader(header: header) }
        let bytes = Array(value.utf8)
        for (index, word) in Self.words(of: bytes).enumerated() {
            try append(bytes[word.word], after: index == 0 ? Self.space : bytes[word.whitespace])
        }
    }

    /// `type/subtype; name=value; ...` (Content-Type, RFC 2045 §5.1) or `attachment; filename=...`
    /// (Content-Disposition, RFC 2183), values written by `MediaParameter`.
    mutating func appendValue(_ first: String, parameters: [(name: String, value: String)]) throws(MIMEError) {
        var words: [[UInt8]] = [Array(first.utf8)]
        for parameter in parameters {
            words.append(contentsOf: MediaParameter.render(name: parameter.name, value: parameter.value))
        }
        try appendList(words, separator: UInt8(ascii: ";"))
    }

    private static func needsEncodingInText(_ word: ArraySlice<UInt8>) -> Bool {
        // A word looking like an encoded word must be encoded itself, or readers would decode it (§5(1)).
        word.contains(where: { $0 >= 0x80 }) || containsEncodedWordStart(word)
            || word.count > maximumLineLength - 100
    }

    private static func isPlainAtom(_ word: ArraySlice<UInt8>) -> Bool {
        word.allSatisfy(ASCII.isAtomText) && !containsEncodedWordStart(word)
    }

    private static func isQuotable(_ word: ArraySlice<UInt8>) -> Bool {
        word.allSatisfy { $0 >= 0x20 && $0 < 0x7F } && !containsEncodedWordStart(word) && word.count < 900
    }

    private static func containsEncodedWordStart(_ word: ArraySlice<UInt8>) -> Bool {
        var previous: UInt8 = 0
        for byte in word {
            if previous == ASCII.equals && byte == ASCII.questionMark { return true }
            previous = byte
        }
        return false
    }

    /// `local@domain` in ASCII: the address is checked again (it is a `var`), and a domain with
    /// non-ASCII letters is written in its IDNA form (`xn--...`, RFC 3492), as in the envelope.
    static func addressSpecification(_ address: EmailAddress, header: String) throws(MIMEError) -> [UInt8] {
        do {
            try EmailAddress.validate(address: address.address)
        } catch .lineBreak {
            throw .lineBreakInHeader(header: header)
        } catch {
            throw .invalidAddress(header: header, address: address.address, reason: error.description)
        }
        guard let ascii = EmailAddress.envelopeForm(of: address.address) else {
            throw .invalidAddress(header: header, address: address.address, reason: "the domain cannot be written in ASCII")
        }
        return Array(ascii.utf8)
    }
}
