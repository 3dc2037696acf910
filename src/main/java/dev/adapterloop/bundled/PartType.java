package dev.adapterloop.bundled;

import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.ParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A part's MIME type (lower case, no parameters) and declared charset (or null), read from its Content-Type header.
 * Spam often sends headers Jakarta Mail rejects ({@code TEXT/PLAIN charset=US}, no semicolon), so when strict parsing
 * fails the type and charset are picked out of the header text instead.
 */
record PartType(String mimeType, String charset) {
    private static final Pattern TYPE = Pattern.compile("^\\s*([\\w.+-]+/[\\w.+-]+)");
    private static final Pattern CHARSET = Pattern.compile("charset\\s*=\\s*\"?([^\";\\s]+)", Pattern.CASE_INSENSITIVE);

    // Anything unreadable is treated as opaque binary, i.e. not text: such a part is skipped like an attachment.
    static PartType of(String contentType) {
        if (contentType == null) {
            return new PartType("text/plain", null); // RFC 2045's default
        }
        try {
            ContentType parsed = new ContentType(contentType);
            return new PartType(parsed.getBaseType().toLowerCase(Locale.ROOT), parsed.getParameter("charset"));
        } catch (ParseException e) {
            Matcher type = TYPE.matcher(contentType);
            Matcher charset = CHARSET.matcher(contentType);
            return new PartType(type.find() ? type.group(1).toLowerCase(Locale.ROOT) : "application/octet-stream",
                    charset.find() ? charset.group(1) : null);
        }
    }

    boolean isMultipart() {
        return mimeType.startsWith("multipart/");
    }
}
