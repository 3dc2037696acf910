package dev.adapterloop.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonlDatasetReaderTest {
    private static final long LIMIT = 1 << 20;
    private static final JsonlDatasetReader SKIP = new JsonlDatasetReader(LIMIT, MalformedLinePolicy.SKIP_AND_COUNT);
    private static final JsonlDatasetReader REJECT = new JsonlDatasetReader(LIMIT, MalformedLinePolicy.REJECT_DATASET);
    private static final String GOOD = "{\"text\":\"hello\",\"label\":\"ham\"}";

    @Test
    void roundTripsWhatTheWriterWrote() throws IOException {
        List<LabeledExample> examples = List.of(
                new LabeledExample("Subject\n\nbody with \"quotes\", tabs\tand unicode: é 日本 🙂", "spam"),
                new LabeledExample("second", "ham"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JsonlDatasetWriter.write(examples, out);

        JsonlReadResult result = REJECT.read(new ByteArrayInputStream(out.toByteArray()));

        assertThat(result.examples()).isEqualTo(examples);
        assertThat(result.skippedLines()).isZero();
        assertThat(result.firstErrors()).isEmpty();
    }

    @Test
    void skipsBlankLinesAndAcceptsCrlfAByteOrderMarkAndNoFinalNewline() throws IOException {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        String body = GOOD + "\r\n\r\n   \n\t\n{\"text\":\"x\",\"label\":\"spam\",\"id\":7}";

        JsonlReadResult result = REJECT.read(stream(concat(bom, body.getBytes(StandardCharsets.UTF_8))));

        assertThat(result.examples()).containsExactly(
                new LabeledExample("hello", "ham"), new LabeledExample("x", "spam"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '^', value = {
            "not JSON                | {\"text\": | malformed JSON at column",
            "trailing tokens         | " + GOOD + " {} | malformed JSON",
            "duplicate key           | {\"text\":\"a\",\"label\":\"x\",\"label\":\"y\"} | Duplicate field 'label'",
            "array                   | [1,2] | expected a JSON object, got array",
            "string                  | \"text\" | expected a JSON object, got string",
            "text missing            | {\"label\":\"ham\"} | `text` is missing",
            "label missing           | {\"text\":\"hi\"} | `label` is missing",
            "text null               | {\"text\":null,\"label\":\"ham\"} | `text` is missing",
            "text empty              | {\"text\":\"\",\"label\":\"ham\"} | `text` is empty",
            "text blank              | {\"text\":\"  \",\"label\":\"ham\"} | `text` is empty or whitespace",
            "label empty             | {\"text\":\"hi\",\"label\":\"\"} | `label` is empty",
            "label not a string      | {\"text\":\"hi\",\"label\":1} | `label` must be a string, got number",
            "text not a string       | {\"text\":{\"a\":1},\"label\":\"ham\"} | `text` must be a string, got object",
    })
    void rejectNamesTheLineAndTheReason(String name, String badLine, String reason) {
        String dataset = GOOD + "\n\n" + badLine + "\n" + GOOD + "\n";

        assertThatThrownBy(() -> REJECT.read(stream(dataset)))
                .isInstanceOfSatisfying(DatasetFormatException.class, e -> assertThat(e.line()).isEqualTo(3))
                .hasMessageStartingWith("line 3: ")
                .hasMessageContaining(reason);
    }

    @Test
    void invalidUtf8IsAMalformedLineNotAFailedStream() throws IOException {
        byte[] bad = concat("{\"text\":\"".getBytes(StandardCharsets.UTF_8),
                new byte[] {(byte) 0xC3, (byte) 0x28}, "\",\"label\":\"ham\"}\n".getBytes(StandardCharsets.UTF_8));
        byte[] dataset = concat((GOOD + "\n").getBytes(StandardCharsets.UTF_8), bad);

        JsonlReadResult result = SKIP.read(stream(dataset));

        assertThat(result.examples()).hasSize(1);
        assertThat(result.firstErrors()).singleElement()
                .satisfies(error -> assertThat(error.toString()).startsWith("line 2: malformed JSON"));
    }

    @Test
    void skipCountsEveryMalformedLineAndDescribesTheFirstFew() throws IOException {
        int bad = JsonlDatasetReader.MAX_REPORTED_ERRORS + 5;
        String dataset = GOOD + "\n" + "{}\n".repeat(bad) + GOOD + "\n";

        JsonlReadResult result = SKIP.read(stream(dataset));

        assertThat(result.examples()).hasSize(2);
        assertThat(result.skippedLines()).isEqualTo(bad);
        assertThat(result.firstErrors()).hasSize(JsonlDatasetReader.MAX_REPORTED_ERRORS);
        assertThat(result.firstErrors().getFirst()).isEqualTo(new JsonlReadResult.LineError(2, "`text` is missing"));
    }

    @Test
    void emptyOrBlankInputIsRejectedUnderEitherPolicy() {
        for (JsonlDatasetReader reader : List.of(SKIP, REJECT)) {
            for (String input : List.of("", "\n\n  \n")) {
                assertThatThrownBy(() -> reader.read(stream(input)))
                        .isInstanceOfSatisfying(DatasetFormatException.class, e -> assertThat(e.line()).isZero())
                        .hasMessage("dataset has no examples");
            }
        }
    }

    @Test
    void allLinesMalformedIsRejectedWithTheFirstReason() {
        assertThatThrownBy(() -> SKIP.read(stream("{}\n[]\n")))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessage("dataset has no valid examples: all 2 non-blank lines are malformed, first line 1: "
                        + "`text` is missing");
    }

    @Test
    void inputExactlyAtTheLimitIsRead() throws IOException {
        byte[] dataset = (GOOD + "\n").getBytes(StandardCharsets.UTF_8);
        JsonlDatasetReader reader = new JsonlDatasetReader(dataset.length, MalformedLinePolicy.REJECT_DATASET);

        assertThat(reader.read(stream(dataset)).examples()).hasSize(1);
    }

    @Test
    void oversizedInputFailsWithoutBeingReadToItsEnd() {
        JsonlDatasetReader reader = new JsonlDatasetReader(10_000, MalformedLinePolicy.SKIP_AND_COUNT);
        EndlessLines endless = new EndlessLines(GOOD + "\n");

        assertThatThrownBy(() -> reader.read(endless))
                .isInstanceOf(DatasetTooLargeException.class)
                .hasMessage("dataset is larger than the limit of 10000 bytes");
        assertThat(endless.served).isLessThan(10_000 + 64 * 1024 + 1);
    }

    @Test
    void oneHugeLineIsStoppedByTheLimitToo() {
        JsonlDatasetReader reader = new JsonlDatasetReader(1_000, MalformedLinePolicy.SKIP_AND_COUNT);
        String huge = "{\"text\":\"" + "x".repeat(5_000) + "\",\"label\":\"ham\"}\n";

        assertThatThrownBy(() -> reader.read(stream(huge))).isInstanceOf(DatasetTooLargeException.class);
    }

    @Test
    void configurationErrorsNameTheValue() {
        assertThatThrownBy(() -> new JsonlDatasetReader(0, MalformedLinePolicy.SKIP_AND_COUNT))
                .hasMessage("maxBytes must be > 0, got 0");
        assertThatThrownBy(() -> new JsonlDatasetReader(1, null)).isInstanceOf(NullPointerException.class)
                .hasMessage("policy");
    }

    @Test
    void manyExamplesKeepTheirOrder() throws IOException {
        String dataset = IntStream.range(0, 1_000)
                .mapToObj(i -> "{\"text\":\"t" + i + "\",\"label\":\"l\"}")
                .collect(Collectors.joining("\n"));

        List<LabeledExample> examples = REJECT.read(stream(dataset)).examples();

        assertThat(examples).hasSize(1_000);
        assertThat(examples.get(999).text()).isEqualTo("t999");
    }

    private static InputStream stream(String text) {
        return stream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static InputStream stream(byte[] bytes) {
        return new ByteArrayInputStream(bytes);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /**
     * Millions of tiny valid records: the read stops at the record cap, whatever the byte limit allows, and a
     * streaming read holds none of them (the sink only counts).
     */
    @Test
    void tooManyRecordsStopTheReadAndAStreamingReadKeepsNone() throws IOException {
        JsonlRecordReader<LabeledExample> capped = new JsonlDatasetReader(Long.MAX_VALUE,
                MalformedLinePolicy.SKIP_AND_COUNT).records().withMaxRecords(100_000);
        long[] seen = {0};
        assertThatThrownBy(() -> capped.read(new EndlessLines("{\"text\":\"a\",\"label\":\"ham\"}\n"),
                example -> seen[0]++))
                .isInstanceOf(DatasetTooLargeException.class)
                .hasMessageContaining("more than 100000 records").hasMessageContaining("line 100001");
        assertThat(seen[0]).isEqualTo(100_000);
        // Malformed lines count too: a flood of junk is no cheaper a way past the cap.
        assertThatThrownBy(() -> capped.read(new EndlessLines("x\n"), example -> { }))
                .isInstanceOf(DatasetTooLargeException.class);

        String body = GOOD + "\n" + GOOD + "\n\n" + GOOD + "\n";
        JsonlRecordReader.Counts counts = capped.withMaxRecords(3).read(stream(body.getBytes(StandardCharsets.UTF_8)),
                example -> seen[0]++);
        assertThat(counts.records()).isEqualTo(3); // blank lines are not records
        assertThatThrownBy(() -> capped.withMaxRecords(2).read(stream(body.getBytes(StandardCharsets.UTF_8)),
                example -> { })).isInstanceOf(DatasetTooLargeException.class);
    }

    /** A line longer than the limit is a malformed line, skipped without being held; the lines after it still read. */
    @Test
    void aLineLongerThanTheLimitIsMalformedAndNotHeld() throws IOException {
        JsonlDatasetReader skip = new JsonlDatasetReader(8 << 20, MalformedLinePolicy.SKIP_AND_COUNT);
        JsonlDatasetReader reject = new JsonlDatasetReader(8 << 20, MalformedLinePolicy.REJECT_DATASET);
        String huge = "{\"text\":\"" + "y".repeat(JsonlRecordReader.MAX_LINE_BYTES) + "\",\"label\":\"ham\"}";
        byte[] body = (GOOD + "\n" + huge + "\r\n" + GOOD).getBytes(StandardCharsets.UTF_8);
        JsonlReadResult result = skip.read(stream(body));
        assertThat(result.examples()).hasSize(2);
        assertThat(result.skippedLines()).isEqualTo(1);
        assertThat(result.firstErrors().getFirst().line()).isEqualTo(2);
        assertThat(result.firstErrors().getFirst().reason()).contains("longer than 1048576 bytes");
        assertThatThrownBy(() -> reject.read(stream(body))).isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("line 2").hasMessageContaining("longer than");
        // Exactly at the limit is a line like any other (here, malformed JSON by its content, not its length).
        byte[] atLimit = ("z".repeat(JsonlRecordReader.MAX_LINE_BYTES) + "\n" + GOOD).getBytes(StandardCharsets.UTF_8);
        assertThat(skip.read(stream(atLimit)).firstErrors().getFirst().reason()).doesNotContain("longer than");
        // A huge last line without a final newline.
        byte[] last = (GOOD + "\n" + huge).getBytes(StandardCharsets.UTF_8);
        assertThat(skip.read(stream(last)).skippedLines()).isEqualTo(1);
    }

    /** Serves the same line forever, counting what it served: only a bounded reader can finish on it. */
    private static final class EndlessLines extends InputStream {
        private final byte[] line;
        private long served;

        EndlessLines(String line) {
            this.line = line.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public int read() {
            return line[(int) (served++ % line.length)];
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            for (int i = 0; i < length; i++) {
                buffer[offset + i] = (byte) read();
            }
            return length;
        }
    }
}
