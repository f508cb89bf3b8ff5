import Testing
@testable import TiedotinCore

/// Reading what other servers wrote: folding, encoded words, transfer encodings, multipart and DSN fields.
@Suite struct ReceivedMessageTests {
    func message(_ text: String) -> ReceivedMessage {
        ReceivedMessage(bytes: Array(text.utf8))
    }

    @Test func foldedFieldsAreUnfolded() {
        // RFC 5322 §2.2.3: a CRLF followed by white space is removed when unfolding.
        let parsed = message("Subject: Ikäihmisten\r\n verkoston\r\n\ttapaaminen\r\nTo: a@example.fi\r\n\r\nbody\r\n")
        #expect(parsed.field("subject") == "Ikäihmisten verkoston\ttapaaminen")
        #expect(parsed.field("TO") == "a@example.fi")
        #expect(parsed.body == Array("body\r\n".utf8))
    }

    @Test func encodedWordsAreDecoded() {
        // RFC 2047 §8's examples: white space between adjacent encoded words is dropped, elsewhere kept.
        #expect(EncodedWordReader.decode("=?ISO-8859-1?Q?a?= b") == "a b")
        #expect(EncodedWordReader.decode("=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=") == "ab")
        #expect(EncodedWordReader.decode("=?ISO-8859-1?Q?a_b?=") == "a b")
        #expect(EncodedWordReader.decode("=?UTF-8?B?UGVydSB0aWxhdXMgw6TDtg==?=") == "Peru tilaus äö")
        #expect(EncodedWordReader.decode("=?iso-8859-1?q?J=E4rjest=F6?=") == "Järjestö")
        #expect(EncodedWordReader.decode("Re: =?x-unknown?X?abc?= unsubscribe") == "Re: =?x-unknown?X?abc?= unsubscribe")
    }

    @Test func quotedPrintableAndBase64Bodies() {
        // RFC 2045 §6.7: "=XX" octets and soft line breaks.
        let qp = message("Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\nHyv=C3=A4=\nt yhdyshenkil=C3=B6t =ZZ\n")
        #expect(qp.text == "Hyvät yhdyshenkilöt =ZZ\n")
        let base64 = message("Content-Type: text/plain; charset=\"UTF-8\"\nContent-Transfer-Encoding: base64\n\nVGVydmV0dWxv\nYSE=\n")
        #expect(base64.text == "Tervetuloa!")
    }

    @Test func multipartPartsEvenWithoutAClosingBoundary() {
        // RFC 2046 §5.1.1: the CRLF before a boundary belongs to the boundary.
        let parsed = message("""
            Content-Type: multipart/report; report-type=delivery-status; boundary="b1"

            preamble
            --b1
            Content-Type: text/plain

            first
            --b1  
            Content-Type: message/delivery-status

            Reporting-MTA: dns; mx.example.fi
            --b1
            third, cut short
            """)
        #expect(parsed.contentType == MediaTypeValue(type: "multipart", subtype: "report", parameters: ["report-type": "delivery-status", "boundary": "b1"]))
        #expect(parsed.parts.map(\.contentType.essence) == ["text/plain", "message/delivery-status", "text/plain"])
        #expect(parsed.parts.first?.text == "first")
        #expect(parsed.parts.last?.text == "third, cut short")
    }

    @Test func deliveryStatusFieldsPerRecipient() throws {
        // RFC 3464 §2.2 and §2.3: a per-message block, then one block per recipient.
        let parsed = message("""
            Content-Type: multipart/report; report-type=delivery-status; boundary="b"

            --b
            Content-Type: message/delivery-status

            Reporting-MTA: dns; mail.pohde.example.fi

            Final-Recipient: rfc822; pia.kangas@example.fi
            Action: failed
            Status: 5.1.1 (bad destination mailbox address)
            Diagnostic-Code: smtp; 550 5.1.1 <pia.kangas@example.fi>:
             Recipient address rejected

            Final-Recipient: RFC822; <heidi.lotjonen@example.fi>
            Action: delayed
            Status: 4.4.7
            --b--
            """)
        let report = try #require(DeliveryStatusReport(parsed))
        #expect(report.reportingMTA == "mail.pohde.example.fi")
        #expect(report.recipients == [
            .init(finalRecipient: "pia.kangas@example.fi", action: "failed", status: "5.1.1",
                  diagnostic: "550 5.1.1 <pia.kangas@example.fi>: Recipient address rejected"),
            .init(finalRecipient: "heidi.lotjonen@example.fi", action: "delayed", status: "4.4.7"),
        ])
        #expect(DeliveryStatusReport(message("Subject: hei\n\nei raporttia\n")) == nil)
    }

    @Test func statusCodesInText() {
        // RFC 3463 §2: class.subject.detail, with up to three digits each.
        #expect(StatusCode.enhanced(in: "smtp; 550 5.1.10 RESOLVER.ADR.RecipientNotFound") == "5.1.10")
        #expect(StatusCode.enhanced(in: "version 3.12") == nil)
        #expect(StatusCode.firstReply(in: "Hello.\n\n<x@example.fi>:\n550-5.1.1 no such user\n")?.line == "550-5.1.1 no such user")
        #expect(StatusCode.firstReply(in: "Hello.\n\n<x@example.fi>:\n452 4.2.2 mailbox full\n")?.class == .temporary)
        #expect(StatusCode.firstReply(in: "We met on 2027-02-10 at 13.00.\n") == nil)
    }
}
