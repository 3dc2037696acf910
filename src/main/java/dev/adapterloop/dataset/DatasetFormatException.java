package dev.adapterloop.dataset;

import java.io.IOException;

/**
 * A dataset that cannot be used as it stands: a malformed line (under {@link MalformedLinePolicy#REJECT_DATASET}) or
 * no usable example at all. Fatal: reading the same bytes again fails the same way.
 */
public class DatasetFormatException extends IOException {
    private final int line;

    /** @param line the 1-based line at fault, or 0 when the problem is the dataset as a whole */
    public DatasetFormatException(int line, String message) {
        super(line > 0 ? "line " + line + ": " + message : message);
        if (line < 0) {
            throw new IllegalArgumentException("line must be >= 0, got " + line);
        }
        this.line = line;
    }

    /** The 1-based line at fault, or 0 when the problem is the dataset as a whole. */
    public int line() {
        return line;
    }
}
