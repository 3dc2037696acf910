package dev.adapterloop.dataset;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The line loop every JSONL dataset shares, whatever its records: UTF-8, one object a line, blank lines skipped, a
 * byte-order mark on the first line tolerated, a byte limit, and the malformed-line policy. Line numbers in errors are
 * 1-based and count blank lines, so they match an editor's.
 *
 * @param maxBytes the most bytes the input may hold; past it the read stops with a {@link DatasetTooLargeException}
 * @param policy   what a malformed line does to the read
 * @param parser   one line to one record, or {@link InvalidLine} with the reason
 */
public record JsonlRecordReader<T>(long maxBytes, MalformedLinePolicy policy, LineParser<T> parser) {

    /** How many malformed lines a result describes; the rest are only counted. */
    public static final int MAX_REPORTED_ERRORS = 10;

    /** Turns one line's bytes into a record. */
    @FunctionalInterface
    public interface LineParser<T> {
        T parse(byte[] line) throws InvalidLine;
    }

    /** Thrown for a line that is not a record; the message is the reason, without the line number. */
    public static final class InvalidLine extends Exception {
        public InvalidLine(String reason) {
            super(reason, null, false, false);
        }
    }

    /** The records in file order, the malformed lines skipped, and the first reasons. */
    public record Result<T>(List<T> records, int skippedLines, List<JsonlReadResult.LineError> firstErrors) {
        public Result {
            records = List.copyOf(records);
            firstErrors = List.copyOf(firstErrors);
        }
    }

    public JsonlRecordReader {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be > 0, got " + maxBytes);
        }
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(parser, "parser");
    }

    /**
     * Reads {@code in} to its end (or to the limit) without closing it.
     *
     * @throws DatasetFormatException a malformed line under the reject policy, or no valid record at all
     */
    public Result<T> read(InputStream in) throws IOException {
        LineSplitter lines = new LineSplitter(new BoundedInputStream(in, maxBytes));
        List<T> records = new ArrayList<>();
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
                records.add(parser.parse(line));
            } catch (InvalidLine e) {
                if (policy == MalformedLinePolicy.REJECT_DATASET) {
                    throw new DatasetFormatException(number, e.getMessage());
                }
                skipped++;
                if (errors.size() < MAX_REPORTED_ERRORS) {
                    errors.add(new JsonlReadResult.LineError(number, e.getMessage()));
                }
            }
        }
        if (records.isEmpty()) {
            throw new DatasetFormatException(0, skipped == 0
                    ? "dataset has no examples"
                    : "dataset has no valid examples: all " + skipped + " non-blank lines are malformed, first "
                            + errors.getFirst());
        }
        return new Result<>(records, skipped, errors);
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
