package dev.adapterloop.dataset;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
    public static final int MAX_REPORTED_ERRORS = 10;

    public JsonlDatasetReader {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be > 0, got " + maxBytes);
        }
        Objects.requireNonNull(policy, "policy");
    }

    /** Reads {@code in} to its end (or to the limit) without closing it. */
    public JsonlReadResult read(InputStream in) throws IOException {
        LineSplitter lines = new LineSplitter(new BoundedInputStream(in, maxBytes));
        List<LabeledExample> examples = new ArrayList<>();
        List<JsonlReadResult.LineError> errors = new ArrayList<>();
        int skipped = 0;
        int number = 0;
        for (byte[] line; (line = lines.next()) != null; ) {
            number++;
            if (number == 1) {
                line = withoutByteOrderMark(line);
            }
            if (isBlank(line)) {
                continue;
            }
            try {
                examples.add(JsonlLineParser.parse(line));
            } catch (JsonlLineParser.InvalidLine e) {
                if (policy == MalformedLinePolicy.REJECT_DATASET) {
                    throw new DatasetFormatException(number, e.getMessage());
                }
                skipped++;
                if (errors.size() < MAX_REPORTED_ERRORS) {
                    errors.add(new JsonlReadResult.LineError(number, e.getMessage()));
                }
            }
        }
        if (examples.isEmpty()) {
            throw new DatasetFormatException(0, skipped == 0
                    ? "dataset has no examples"
                    : "dataset has no valid examples: all " + skipped + " non-blank lines are malformed, first "
                            + errors.getFirst());
        }
        return new JsonlReadResult(examples, skipped, errors);
    }

    public JsonlReadResult read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in);
        }
    }

    // Editors on Windows often save UTF-8 with a BOM, which Jackson would reject as an unexpected character.
    private static byte[] withoutByteOrderMark(byte[] line) {
        boolean bom = line.length >= 3 && (line[0] & 0xFF) == 0xEF && (line[1] & 0xFF) == 0xBB
                && (line[2] & 0xFF) == 0xBF;
        return bom ? Arrays.copyOfRange(line, 3, line.length) : line;
    }

    private static boolean isBlank(byte[] line) {
        for (byte b : line) {
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }
}
