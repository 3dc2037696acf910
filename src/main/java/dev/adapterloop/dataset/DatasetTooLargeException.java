package dev.adapterloop.dataset;

import java.io.IOException;

/**
 * The input went past the byte limit it was read under. Kept apart from {@link DatasetFormatException} so that a
 * caller can answer "too large" (HTTP 413) differently from "malformed" (HTTP 400).
 */
public class DatasetTooLargeException extends IOException {
    private final long maxBytes;

    public DatasetTooLargeException(long maxBytes) {
        super("dataset is larger than the limit of " + maxBytes + " bytes");
        this.maxBytes = maxBytes;
    }

    /** Past another limit than bytes (records, say); {@link #maxBytes()} is then 0. */
    public DatasetTooLargeException(String message) {
        super(message);
        this.maxBytes = 0;
    }

    public long maxBytes() {
        return maxBytes;
    }
}
