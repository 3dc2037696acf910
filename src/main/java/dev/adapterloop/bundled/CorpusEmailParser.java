package dev.adapterloop.bundled;

import dev.adapterloop.dataset.LabeledExample;
import java.nio.charset.StandardCharsets;

/**
 * Turns one email file of the corpus into a {@link CorpusEmail}: subject, a blank line and body, cut to
 * {@code maxChars}, labeled by its group.
 */
record CorpusEmailParser(int maxChars) {
    CorpusEmailParser {
        if (maxChars < 1) {
            throw new IllegalArgumentException("maxChars must be > 0, got " + maxChars);
        }
    }

    /** The email, and how its text was extracted. */
    record Parsed(CorpusEmail email, MimeFallback fallback) {
    }

    Parsed parse(CorpusTarReader.RawEmail file) {
        ExtractedMail mail = MailTextExtractor.extract(rawBytes(file.text()));
        String text = truncate(mail.subject() + "\n\n" + mail.body());
        LabeledExample example = new LabeledExample(text, SpamAssassinCorpus.labelOf(file.group()));
        return new Parsed(new CorpusEmail(file.id(), file.group(), file.md5(), example), mail.fallback());
    }

    /**
     * The package decoded each email's bytes as UTF-8 and put U+FFFD where they were not; encoding back as UTF-8
     * restores every other byte exactly. The U+FFFDs become '?' so that a part declared as, say, ISO-8859-1 does not
     * turn their three UTF-8 bytes into mojibake.
     */
    private static byte[] rawBytes(String text) {
        return text.replace('\uFFFD', '?').getBytes(StandardCharsets.UTF_8);
    }

    private String truncate(String text) {
        if (text.length() <= maxChars) {
            return text;
        }
        // Never keep half of a surrogate pair: the cut would otherwise leave an unpaired char in the JSONL.
        int end = Character.isHighSurrogate(text.charAt(maxChars - 1)) ? maxChars - 1 : maxChars;
        return text.substring(0, end);
    }
}
