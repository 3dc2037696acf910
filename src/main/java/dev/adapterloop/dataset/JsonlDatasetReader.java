package dev.adapterloop.dataset;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Reads a JSONL dataset: one {@code {"text": ..., "label": ...}} object a line, UTF-8. Blank lines are skipped; other
 * fields are ignored so that a dataset may carry ids or metadata. Line numbers in errors are 1-based and count blank
 * lines, so they match an editor's.
 *
 * @param maxBytes the most bytes the input may hold; past it the read stops with a {@link DatasetTooLargeException}
 * @param policy   what a malformed line does to the read
 */
public record JsonlDatasetReader(long maxBytes, MalformedLinePolicy policy) {
    /** How many malformed lines a {@link JsonlReadResult} describes; the rest are only counted. */
    public static final int MAX_REPORTED_ERRORS = JsonlRecordReader.MAX_REPORTED_ERRORS;

    public JsonlDatasetReader {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be > 0, got " + maxBytes);
        }
        Objects.requireNonNull(policy, "policy");
    }

    /** The line loop under this reader's limits, for reads that stream the examples instead of keeping them. */
    public JsonlRecordReader<LabeledExample> records() {
        return new JsonlRecordReader<>(maxBytes, policy, JsonlLineParser::parse);
    }

    /** Reads {@code in} to its end (or to the limit) without closing it. */
    public JsonlReadResult read(InputStream in) throws IOException {
        JsonlRecordReader.Result<LabeledExample> result = records().read(in);
        return new JsonlReadResult(result.records(), result.skippedLines(), result.firstErrors());
    }

    public JsonlReadResult read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in);
        }
    }
}
