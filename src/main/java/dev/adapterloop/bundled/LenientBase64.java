package dev.adapterloop.bundled;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Decodes a base64 body up to where the base64 stops. Mailing lists append a plain-text footer to base64 bodies; a
 * strict decoder then fails on the whole part, and Jakarta Mail's decodes the footer into garbage.
 */
final class LenientBase64 {
    private static final Pattern BASE64_LINE = Pattern.compile("[A-Za-z0-9+/]+={0,2}");

    private LenientBase64() {
    }

    /** The decoded bytes, and whether non-blank text after the base64 lines was ignored. */
    record Decoded(byte[] bytes, boolean ignoredText) {
    }

    static Decoded decode(byte[] encoded) {
        String[] lines = new String(encoded, StandardCharsets.ISO_8859_1).split("\\r?\\n");
        StringBuilder base64 = new StringBuilder();
        int next = 0;
        while (next < lines.length) {
            String line = lines[next].strip();
            if (!line.isEmpty() && !BASE64_LINE.matcher(line).matches()) {
                break;
            }
            base64.append(line);
            next++;
            if (line.endsWith("=")) {
                break; // padding ends the data
            }
        }
        boolean ignoredText = false;
        for (int i = next; i < lines.length && !ignoredText; i++) {
            ignoredText = !lines[i].isBlank();
        }
        base64.setLength(base64.length() - base64.length() % 4); // a trailing partial group cannot be decoded
        try {
            return new Decoded(Base64.getMimeDecoder().decode(base64.toString()), ignoredText);
        } catch (IllegalArgumentException e) {
            return new Decoded(new byte[0], true); // '=' inside the data: nothing trustworthy to read
        }
    }
}
