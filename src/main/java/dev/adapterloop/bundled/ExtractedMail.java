package dev.adapterloop.bundled;

import java.util.Objects;

/**
 * The readable part of one email: its decoded subject and plain-text body, each with whitespace collapsed to single
 * spaces (either may be empty), and whether extraction had to fall back.
 */
public record ExtractedMail(String subject, String body, MimeFallback fallback) {
    public ExtractedMail {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(fallback, "fallback");
    }
}
