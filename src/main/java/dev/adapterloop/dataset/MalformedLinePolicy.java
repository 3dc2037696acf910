package dev.adapterloop.dataset;

/** What {@link JsonlDatasetReader} does with a line that is not a valid example. */
public enum MalformedLinePolicy {
    /** Drop the line, count it, and keep the first few reasons in the {@link JsonlReadResult}. */
    SKIP_AND_COUNT,
    /** Fail the whole read with a {@link DatasetFormatException} naming the line. */
    REJECT_DATASET
}
