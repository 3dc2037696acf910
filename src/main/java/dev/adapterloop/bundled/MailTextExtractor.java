package dev.adapterloop.bundled;

import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimePart;
import jakarta.mail.internet.MimePartDataSource;
import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UnsupportedEncodingException;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * Gets the subject and a plain-text body out of a raw RFC 822 email. Text parts are gathered from the whole MIME tree
 * (multipart/alternative and multipart/mixed alike); the body is the text/plain parts, or, when none has any text, the
 * text/html parts rendered to text. Attachments and non-text parts are ignored. Broken mail does not throw: a part that
 * cannot be decoded as declared is read leniently, an unwalkable structure falls back to the raw body, and the result
 * says which happened.
 */
public final class MailTextExtractor {
    private static final Session SESSION = newSession();
    // Real mail nests two or three levels; a deeper tree is a malformed or hostile message.
    private static final int MAX_DEPTH = 16;

    private MailTextExtractor() {
    }

    /**
     * Jakarta Mail finds its stream provider through the thread's context class loader. The first email may be
     * parsed on a fork-join worker, whose context loader is the system one: under Quarkus (dev mode, tests) that loader
     * sees another copy of the provider interface and the lookup fails ("Cannot load interface ... StreamProvider").
     * This class's own loader always sees the copy Jakarta Mail was loaded with.
     */
    private static Session newSession() {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(MailTextExtractor.class.getClassLoader());
        try {
            return Session.getInstance(new Properties());
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    public static ExtractedMail extract(byte[] rawEmail) {
        MimeMessage message;
        try {
            message = new MimeMessage(SESSION, new ByteArrayInputStream(rawEmail));
        } catch (MessagingException | RuntimeException e) {
            return new ExtractedMail("", rawBody(rawEmail), MimeFallback.RAW_BODY);
        }
        String subject = subject(message);
        TextParts parts = new TextParts();
        try {
            collect(message, parts, 0);
        } catch (MessagingException | IOException | RuntimeException e) {
            // Jakarta Mail signals some malformed input with runtime exceptions; any failure here means the same thing.
            return new ExtractedMail(subject, rawBody(rawEmail), MimeFallback.RAW_BODY);
        }
        return new ExtractedMail(subject, parts.body(), parts.lenient ? MimeFallback.LENIENT_PART : MimeFallback.NONE);
    }

    private static void collect(MimePart part, TextParts parts, int depth) throws MessagingException, IOException {
        if (depth > MAX_DEPTH) {
            throw new MessagingException("MIME parts nested deeper than " + MAX_DEPTH);
        }
        PartType type = PartType.of(part.getContentType());
        if (type.isMultipart()) {
            // Parsed from the part's own bytes rather than getContent(), which needs the activation framework to find a
            // mailcap handler on the class path.
            MimeMultipart multipart = new MimeMultipart(new MimePartDataSource(part));
            for (int i = 0; i < multipart.getCount(); i++) {
                collect((MimeBodyPart) multipart.getBodyPart(i), parts, depth + 1);
            }
        } else if (isAttachment(part)) {
            return;
        } else if (type.mimeType().equals("text/html")) {
            parts.html.add(decode(part, type.charset(), parts));
        } else if (type.mimeType().equals("text/plain")) {
            parts.plain.add(decode(part, type.charset(), parts));
        }
    }

    private static boolean isAttachment(Part part) {
        try {
            return Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition());
        } catch (MessagingException e) {
            return false; // an unreadable Content-Disposition says nothing either way; keep the text
        }
    }

    private static String decode(MimePart part, String charset, TextParts parts)
            throws MessagingException, IOException {
        byte[] bytes = transferDecoded(part, parts);
        // US-ASCII is often declared for 8-bit text; both guesses agree with it on ASCII.
        if (charset == null || charset.equalsIgnoreCase("us-ascii")) {
            return MailTexts.utf8OrLatin1(bytes);
        }
        try {
            return new String(bytes, Charset.forName(MimeUtility.javaCharset(charset)));
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            parts.lenient = true;
            return MailTexts.utf8OrLatin1(bytes);
        }
    }

    /** The part's bytes with base64 or quoted-printable undone; leniently when the declared encoding fails. */
    private static byte[] transferDecoded(MimePart part, TextParts parts) throws MessagingException, IOException {
        if ("base64".equalsIgnoreCase(part.getEncoding())) {
            // Decoded here, not by Jakarta Mail, which reads a footer appended after the base64 as more base64.
            LenientBase64.Decoded decoded = LenientBase64.decode(rawBytes(part));
            parts.lenient |= decoded.ignoredText();
            return decoded.bytes();
        }
        try (InputStream in = part.getInputStream()) {
            return in.readAllBytes();
        } catch (IOException | MessagingException e) {
            parts.lenient = true; // an unknown transfer encoding such as "8-bit": the bytes are most likely as sent
            return rawBytes(part);
        }
    }

    private static byte[] rawBytes(MimePart part) throws MessagingException, IOException {
        try (InputStream in = rawInputStream(part)) {
            return in.readAllBytes();
        }
    }

    private static InputStream rawInputStream(MimePart part) throws MessagingException {
        return part instanceof MimeMessage message ? message.getRawInputStream()
                : ((MimeBodyPart) part).getRawInputStream();
    }

    private static String subject(MimeMessage message) {
        String raw;
        try {
            raw = message.getHeader("Subject", null);
        } catch (MessagingException e) {
            return "";
        }
        if (raw == null) {
            return "";
        }
        String unfolded = MimeUtility.unfold(MailTexts.reread8BitHeader(raw));
        try {
            return MailTexts.collapseWhitespace(MimeUtility.decodeText(unfolded));
        } catch (UnsupportedEncodingException | RuntimeException e) {
            return MailTexts.collapseWhitespace(unfolded); // an encoded word in an unknown charset: keep it as written
        }
    }

    /** Everything after the first blank line, the end of the headers; the whole text if there is none. */
    private static String rawBody(byte[] raw) {
        String body = MailTexts.utf8OrLatin1(Arrays.copyOfRange(raw, bodyStart(raw), raw.length));
        return MailTexts.collapseWhitespace(MailTexts.containsHtmlDocument(body) ? MailTexts.htmlToText(body) : body);
    }

    private static int bodyStart(byte[] raw) {
        for (int i = 0; i + 1 < raw.length; i++) {
            if (raw[i] != '\n') {
                continue;
            }
            if (raw[i + 1] == '\n') {
                return i + 2;
            }
            if (raw[i + 1] == '\r' && i + 2 < raw.length && raw[i + 2] == '\n') {
                return i + 3;
            }
        }
        return 0;
    }

    /** The text parts found so far, in document order. */
    private static final class TextParts {
        final List<String> plain = new ArrayList<>();
        final List<String> html = new ArrayList<>();
        boolean lenient;

        String body() {
            List<String> texts = new ArrayList<>();
            for (String text : plain) {
                texts.add(MailTexts.startsAsHtml(text) ? MailTexts.htmlToText(text) : text);
            }
            if (texts.stream().allMatch(String::isBlank)) {
                texts.clear();
                html.forEach(text -> texts.add(MailTexts.htmlToText(text)));
            }
            return MailTexts.collapseWhitespace(String.join("\n", texts));
        }
    }
}
