package dev.adapterloop.bundled;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;

/** Small text helpers shared by the email extraction: byte decoding, HTML to text, whitespace. */
final class MailTexts {
    // Spam often sends HTML with no Content-Type at all, which MIME then calls text/plain. Only a body that opens with
    // one of these tags counts: plain mail that merely quotes HTML ("<snip>", "<http://...>") must keep its text.
    private static final Pattern HTML_START = Pattern.compile(
            "^\\s*<(?:!doctype\\s+html|html|head|body|meta|font|table|div|p)\\b", Pattern.CASE_INSENSITIVE);
    // A raw body starts with the MIME preamble, so there an HTML document is recognized anywhere.
    private static final Pattern HTML_DOCUMENT = Pattern.compile("<(?:html|body)\\b", Pattern.CASE_INSENSITIVE);

    private MailTexts() {
    }

    /**
     * Undeclared or mis-declared 8-bit text in old mail is mostly UTF-8 or Latin-1; valid UTF-8 is rarely an accident,
     * and Latin-1 can decode any byte, so it is the safe second guess.
     */
    static String utf8OrLatin1(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }

    /**
     * Jakarta Mail reads header bytes as Latin-1 (one char per byte) unless told the mail is UTF-8; this re-reads such
     * a header as {@link #utf8OrLatin1} would. Pure ASCII comes back unchanged.
     */
    static String reread8BitHeader(String header) {
        boolean eightBit = false;
        for (int i = 0; i < header.length(); i++) {
            char c = header.charAt(i);
            if (c > 0xFF) {
                return header; // not one char per byte: already decoded
            }
            eightBit |= c > 0x7F;
        }
        return eightBit ? utf8OrLatin1(header.getBytes(StandardCharsets.ISO_8859_1)) : header;
    }

    static boolean startsAsHtml(String text) {
        return HTML_START.matcher(text).lookingAt();
    }

    static boolean containsHtmlDocument(String text) {
        return HTML_DOCUMENT.matcher(text).find();
    }

    static String htmlToText(String html) {
        return Jsoup.parse(html).text();
    }

    /** Collapses every run of whitespace, non-breaking spaces included, to one space, and trims. */
    static String collapseWhitespace(String text) {
        StringBuilder out = new StringBuilder(text.length());
        boolean pendingSpace = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                pendingSpace = out.length() > 0;
            } else {
                if (pendingSpace) {
                    out.append(' ');
                    pendingSpace = false;
                }
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Lower-cased and whitespace-collapsed: two texts that differ only in case or spacing compare equal. */
    static String normalizedForComparison(String text) {
        return collapseWhitespace(text).toLowerCase(Locale.ROOT);
    }
}
