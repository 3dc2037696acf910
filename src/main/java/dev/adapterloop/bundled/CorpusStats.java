package dev.adapterloop.bundled;

import java.util.Objects;

/**
 * What loading the corpus found.
 *
 * @param read                 emails in the tarball, by label
 * @param duplicatesDropped    emails whose normalized text repeated an earlier one (in group, id order)
 * @param emptyDropped         emails with neither subject nor body text
 * @param rawBodyFallbacks     emails whose MIME structure could not be walked, read as raw text instead
 * @param lenientPartFallbacks emails with a text part that could not be decoded as declared, read leniently
 * @param train                examples kept on the training side
 * @param heldOut              examples kept on the held-out side
 */
public record CorpusStats(LabelCounts read, int duplicatesDropped, int emptyDropped, int rawBodyFallbacks,
                          int lenientPartFallbacks, LabelCounts train, LabelCounts heldOut) {
    public CorpusStats {
        Objects.requireNonNull(read, "read");
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(heldOut, "heldOut");
        requireNonNegative("duplicatesDropped", duplicatesDropped);
        requireNonNegative("emptyDropped", emptyDropped);
        requireNonNegative("rawBodyFallbacks", rawBodyFallbacks);
        requireNonNegative("lenientPartFallbacks", lenientPartFallbacks);
        int kept = train.total() + heldOut.total();
        if (read.total() != kept + duplicatesDropped + emptyDropped) {
            throw new IllegalArgumentException("emails read (" + read.total() + ") must equal kept (" + kept
                    + ") + duplicatesDropped (" + duplicatesDropped + ") + emptyDropped (" + emptyDropped + ")");
        }
    }

    public int emailsRead() {
        return read.total();
    }

    public int kept() {
        return train.total() + heldOut.total();
    }

    /** A few lines for a log or the README. */
    public String summary() {
        return """
                read:     %d ham, %d spam (%d)
                dropped:  %d duplicates, %d empty
                train:    %d ham, %d spam (%d)
                held out: %d ham, %d spam (%d)
                MIME fallbacks: %d raw body, %d lenient part"""
                .formatted(read.ham(), read.spam(), read.total(), duplicatesDropped, emptyDropped,
                        train.ham(), train.spam(), train.total(),
                        heldOut.ham(), heldOut.spam(), heldOut.total(),
                        rawBodyFallbacks, lenientPartFallbacks);
    }

    private static void requireNonNegative(String field, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(field + " must be >= 0, got " + value);
        }
    }
}
