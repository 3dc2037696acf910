package dev.adapterloop.bundled;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class MailTextExtractorTest {
    @Test
    void plainTextWithAFoldedSubject() {
        ExtractedMail mail = extract("""
                From: a@example.com
                Subject: Meeting
                 moved to Friday
                Content-Type: text/plain; charset=us-ascii

                Hi all,

                   the meeting   moves.
                """);

        assertThat(mail).isEqualTo(new ExtractedMail("Meeting moved to Friday", "Hi all, the meeting moves.",
                MimeFallback.NONE));
    }

    @Test
    void noContentTypeMeansPlainText() {
        assertThat(extract("Subject: hi\n\nbody\n").body()).isEqualTo("body");
    }

    @Test
    void alternativePrefersThePlainPart() {
        ExtractedMail mail = extract("""
                Subject: offer
                MIME-Version: 1.0
                Content-Type: multipart/alternative; boundary="b1"

                preamble
                --b1
                Content-Type: text/plain; charset=utf-8

                Plain offer
                --b1
                Content-Type: text/html; charset=utf-8

                <html><body><p>HTML offer</p></body></html>
                --b1--
                """);

        assertThat(mail.body()).isEqualTo("Plain offer");
        assertThat(mail.fallback()).isEqualTo(MimeFallback.NONE);
    }

    @Test
    void htmlOnlyIsRenderedToText() {
        ExtractedMail mail = extract("""
                Subject: html
                Content-Type: text/html; charset=iso-8859-1
                Content-Transfer-Encoding: quoted-printable

                <html><head><title>T</title><script>var x=3D1;</script></head>
                <body><p>Caf=E9 &amp; more</p><div>line&nbsp;two</div></body></html>
                """);

        assertThat(mail.body()).isEqualTo("T Café & more line two");
    }

    @Test
    void plainPartThatIsReallyHtmlIsRenderedToo() {
        assertThat(extract("Subject: s\n\n\n<HTML><BODY><b>Buy</b> now</BODY></HTML>\n").body()).isEqualTo("Buy now");
        assertThat(extract("Subject: s\n\n<snip> quoted <http://example.com>\n").body())
                .isEqualTo("<snip> quoted <http://example.com>");
    }

    @Test
    void mixedWithNestedAlternativeAndAttachmentsKeepsOnlyTheText() {
        String pdf = Base64.getEncoder().encodeToString("%PDF-1.4 binary".getBytes(StandardCharsets.US_ASCII));
        ExtractedMail mail = extract("""
                Subject: report
                Content-Type: multipart/mixed; boundary=outer

                --outer
                Content-Type: multipart/alternative; boundary=inner

                --inner
                Content-Type: text/plain

                See the report.
                --inner
                Content-Type: text/html

                <p>See the <b>report</b>.</p>
                --inner--
                --outer
                Content-Type: application/pdf; name=report.pdf
                Content-Transfer-Encoding: base64
                Content-Disposition: attachment; filename=report.pdf

                %s
                --outer
                Content-Type: text/plain; name=notes.txt
                Content-Disposition: attachment; filename=notes.txt

                attached notes
                --outer
                Content-Type: text/plain

                Second inline part.
                --outer--
                """.formatted(pdf));

        assertThat(mail.body()).isEqualTo("See the report. Second inline part.");
    }

    @Test
    void encodedSubjectsAreDecoded() {
        assertThat(extract("Subject: =?ISO-8859-1?Q?Caf=E9_cr=E8me?= =?UTF-8?B?5pel5pys?=\n\nx").subject())
                .isEqualTo("Café crème日本");
        assertThat(extract("Subject: Re: =?utf-8?q?na=C3=AFve?= question\n\nx").subject())
                .isEqualTo("Re: naïve question");
    }

    @Test
    void rawUtf8SubjectIsReadAsUtf8() {
        byte[] raw = "Subject: Grüße aus Köln\n\nbody".getBytes(StandardCharsets.UTF_8);

        assertThat(MailTextExtractor.extract(raw).subject()).isEqualTo("Grüße aus Köln");
    }

    @Test
    void subjectInAnUnknownCharsetIsKeptAsWritten() {
        assertThat(extract("Subject: =?x-unknown?Q?abc?=\n\nx").subject()).isEqualTo("=?x-unknown?Q?abc?=");
    }

    @Test
    void brokenBoundaryFallsBackToTheRawBody() {
        ExtractedMail mail = extract("""
                Subject: broken
                Content-Type: multipart/alternative; boundary="=Multipart Boundary 0925"

                This is a multipart MIME message.

                --= Multipart Boundary 0925
                Content-Type: text/plain

                <html><body><p>Cheap   cartridges</p></body></html>
                """);

        assertThat(mail.fallback()).isEqualTo(MimeFallback.RAW_BODY);
        assertThat(mail.subject()).isEqualTo("broken");
        assertThat(mail.body()).endsWith("Cheap cartridges").doesNotContain("<p>");
    }

    @Test
    void unknownCharsetIsReadLeniently() {
        byte[] raw = "Subject: s\nContent-Type: text/plain; charset=\"DEFAULT_CHARSET\"\n\nna\u00efve caf\u00e9\n"
                .getBytes(StandardCharsets.ISO_8859_1);

        ExtractedMail mail = MailTextExtractor.extract(raw);

        assertThat(mail.body()).isEqualTo("naïve café");
        assertThat(mail.fallback()).isEqualTo(MimeFallback.LENIENT_PART);
    }

    @Test
    void contentTypeWithoutSemicolonIsStillText() {
        ExtractedMail mail = extract("Subject: s\nContent-Type: TEXT/PLAIN charset=US\n\nRomanian software\n");

        assertThat(mail.body()).isEqualTo("Romanian software");
    }

    @Test
    void base64BodyWithAMailingListFooterIsDecodedUpToTheFooter() {
        String encoded = Base64.getMimeEncoder().encodeToString(
                "<html><body>Degerli kullanicimiz</body></html>".getBytes(StandardCharsets.UTF_8));
        ExtractedMail mail = extract("""
                Subject: s
                Content-Type: text/html
                Content-Transfer-Encoding: base64

                %s
                -------------------------------------------------------
                This sf.net email is sponsored by: ThinkGeek
                """.formatted(encoded));

        assertThat(mail.body()).isEqualTo("Degerli kullanicimiz");
        assertThat(mail.fallback()).isEqualTo(MimeFallback.LENIENT_PART);
    }

    @Test
    void cleanBase64IsNotAFallback() {
        String encoded = Base64.getMimeEncoder().encodeToString("clean text".getBytes(StandardCharsets.UTF_8));

        ExtractedMail mail = extract("Subject: s\nContent-Transfer-Encoding: base64\n\n" + encoded + "\n\n");

        assertThat(mail).isEqualTo(new ExtractedMail("s", "clean text", MimeFallback.NONE));
    }

    @Test
    void unknownTransferEncodingIsReadAsIs() {
        ExtractedMail mail = extract("Subject: s\nContent-Transfer-Encoding: 8-bit\n\nhello there\n");

        assertThat(mail.body()).isEqualTo("hello there");
        assertThat(mail.fallback()).isEqualTo(MimeFallback.LENIENT_PART);
    }

    @Test
    void nonTextOnlyMailHasAnEmptyBody() {
        ExtractedMail mail = extract(
                "Subject: pic\nContent-Type: image/gif\nContent-Transfer-Encoding: base64\n\nR0lG\n");

        assertThat(mail).isEqualTo(new ExtractedMail("pic", "", MimeFallback.NONE));
    }

    @Test
    void garbageDoesNotThrow() {
        assertThat(MailTextExtractor.extract(new byte[0]).body()).isEmpty();
        assertThat(extract("no headers at all, just words").body()).isNotNull();
        assertThat(extract("Content-Type: multipart/mixed\n\nno boundary anywhere").body())
                .contains("no boundary anywhere");
    }

    @Test
    void whitespaceIncludingNonBreakingSpacesCollapses() {
        assertThat(extract("Subject:  a \t b\n\n x\u00a0\u00a0y \r\n\r\n z ").body()).isEqualTo("x y z");
    }

    private static ExtractedMail extract(String rawEmail) {
        return MailTextExtractor.extract(rawEmail.getBytes(StandardCharsets.UTF_8));
    }
}
