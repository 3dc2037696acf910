package dev.adapterloop.bundled;

/** How far {@link MailTextExtractor} had to step off the MIME rules to get an email's text. */
public enum MimeFallback {
    /** The MIME structure parsed and every text part decoded as declared. */
    NONE,
    /**
     * A text part could not be decoded as declared (a charset this JVM does not know, a transfer encoding that is
     * unknown or broken) and was read leniently; the rest of the structure was fine.
     */
    LENIENT_PART,
    /** The MIME structure could not be walked; the body is the raw text after the headers' blank line. */
    RAW_BODY
}
