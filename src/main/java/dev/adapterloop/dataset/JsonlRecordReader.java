package dev.adapterloop.dataset;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The line loop every JSONL dataset shares, whatever its records: UTF-8, one object a line, blank lines skipped, a
 * byte-order mark on the first line tolerated, a byte limit, and the malformed-line policy. Line numbers in errors are
 * 1-based and count blank lines, so they match an editor's.
 *
 * <p>Memory is bounded whatever the input: a line longer than {@code maxLineBytes} is malformed and skipped without
 * being held, and more than {@code maxRecords} non-blank lines stop the read ({@link DatasetTooLargeException}), so a
 * dataset of millions of tiny lines cannot make a caller that keeps its records run out of memory.
 * {@link #read(InputStream, Consumer)} hands each record on without keeping any (what intake needs to validate).
 *
 * @param maxBytes     the most bytes the input may hold; past it the read stops with a {@link DatasetTooLargeException}
 * @param policy       what a malformed line does to the read
 * @param parser       one line to one record, or {@link InvalidLine} with the reason
 * @param maxRecords   the most non-blank lines (records and malformed lines) the input may hold
 * @param maxLineBytes the longest line, in bytes, that can be a record
 */
public record JsonlRecordReader<T>(long maxBytes, MalformedLinePolicy policy, LineParser<T> parser, long maxRecords,
        int maxLineBytes) {

    /** How many malformed lines a result describes; the rest are only counted. */
    public static final int MAX_REPORTED_ERRORS = 10;
    /** The default cap on non-blank lines per dataset (a task's {@code intake.max-records}). */
    public static final long DEFAULT_MAX_RECORDS = 1_000_000;
    /** The longest line a record can be: far beyond any text a model reads (128-512 tokens). */
    public static final int MAX_LINE_BYTES = 1 << 20;

    /** With the default caps on records and line length. */
    public JsonlRecordReader(long maxBytes, MalformedLinePolicy policy, LineParser<T> parser) {
        this(maxBytes, policy, parser, DEFAULT_MAX_RECORDS, MAX_LINE_BYTES);
    }

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
        if (maxRecords <= 0 || maxLineBytes <= 0) {
            throw new IllegalArgumentException("maxRecords and maxLineBytes must be > 0, got " + maxRecords + ", "
                    + maxLineBytes);
        }
    }

    /** The same reader with at most {@code records} non-blank lines. */
    public JsonlRecordReader<T> withMaxRecords(long records) {
        return new JsonlRecordReader<>(maxBytes, policy, parser, records, maxLineBytes);
    }

    /** What a streaming read saw: records handed on, malformed lines skipped, the first reasons. */
    public record Counts(long records, int skippedLines, List<JsonlReadResult.LineError> firstErrors) {
        public Counts {
            firstErrors = List.copyOf(firstErrors);
        }
    }

    /**
     * Reads {@code in} to its end (or to the limit) without closing it.
     *
     * @throws DatasetFormatException a malformed line under the reject policy, or no valid record at all
     */
    public Result<T> read(InputStream in) throws IOException {
        List<T> records = new ArrayList<>();
        Counts counts = read(in, records::add);
        return new Result<>(records, counts.skippedLines(), counts.firstErrors());
    }

    /**
     * Reads {@code in} to its end (or to a limit) without closing it, handing each record to {@code sink} in file
     * order and keeping none.
     *
     * @throws DatasetFormatException   a malformed line under the reject policy, or no valid record at all
     * @throws DatasetTooLargeException past {@code maxBytes} or {@code maxRecords}
     */
    public Counts read(InputStream in, Consumer<? super T> sink) throws IOException {
        LineSplitter lines = new LineSplitter(new BoundedInputStream(in, maxBytes), maxLineBytes);
        List<JsonlReadResult.LineError> errors = new ArrayList<>();
        long records = 0;
        int skipped = 0;
        int number = 0;
        for (byte[] line; (line = lines.next()) != null; ) {
            number++;
            if (number == 1 && line != LineSplitter.TOO_LONG) {
                line = withoutByteOrderMark(line);
            }
            if (line != LineSplitter.TOO_LONG && isBlank(line)) {
                continue;
            }
            if (records + skipped >= maxRecords) {
                throw new DatasetTooLargeException("dataset has more than " + maxRecords + " records (non-blank"
                        + " lines), the limit it is read under; line " + number + " is one too many");
            }
            try {
                if (line == LineSplitter.TOO_LONG) {
                    throw new InvalidLine("line is longer than " + maxLineBytes + " bytes");
                }
                sink.accept(parser.parse(line));
                records++;
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
        if (records == 0) {
            throw new DatasetFormatException(0, skipped == 0
                    ? "dataset has no examples"
                    : "dataset has no valid examples: all " + skipped + " non-blank lines are malformed, first "
                            + errors.getFirst());
        }
        return new Counts(records, skipped, errors);
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
