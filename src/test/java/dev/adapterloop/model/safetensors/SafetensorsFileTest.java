package dev.adapterloop.model.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsFileTest {

    @TempDir
    Path dir;

    private static final Tensor MATRIX = Tensor.ofFloats("b.weight", new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6});
    private static final Tensor HALF = new Tensor("a.half", DType.F16, new long[] {2}, shorts(0x3C00, 0xC000));
    private static final Tensor BRAIN = new Tensor("c.bf16", DType.BF16, new long[] {2}, shorts(0x3F80, 0x4049));
    private static final Tensor IDS = new Tensor("d.ids", DType.I64, new long[] {1, 2}, longs(7, -1));
    private static final Tensor COUNTS = new Tensor("e.counts", DType.I32, new long[] {1}, ints(42));
    private static final Tensor EMPTY = Tensor.ofFloats("f.empty", new long[] {0, 4}, new float[0]);

    @Test
    void roundTripKeepsEveryTensorSortedByName() throws Exception {
        Path file = dir.resolve("model.safetensors");
        SafetensorsFile.write(file, List.of(EMPTY, MATRIX, IDS, HALF, COUNTS, BRAIN), Map.of());

        Map<String, Tensor> read = SafetensorsFile.read(file);

        assertThat(read.keySet()).containsExactly("a.half", "b.weight", "c.bf16", "d.ids", "e.counts", "f.empty");
        assertThat(read.values()).containsExactly(HALF, MATRIX, BRAIN, IDS, COUNTS, EMPTY);
        assertThat(read.get("b.weight").shape()).containsExactly(2, 3);
        assertThat(read.get("b.weight").toFloats()).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(read.get("d.ids").data().getLong(8)).isEqualTo(-1);
        assertThat(SafetensorsFile.read(Files.readAllBytes(file))).isEqualTo(read);
    }

    @Test
    void metadataIsPreserved() throws Exception {
        Path file = dir.resolve("adapter.safetensors");
        Map<String, String> metadata = Map.of("format", "pt", "rank", "8");
        SafetensorsFile.write(file, List.of(MATRIX), metadata);

        assertThat(SafetensorsFile.metadata(file)).isEqualTo(metadata);
        assertThat(SafetensorsFile.metadata(Files.readAllBytes(file))).isEqualTo(metadata);
        assertThat(SafetensorsFile.metadata(SafetensorsFile.toBytes(List.of(MATRIX), Map.of()))).isEmpty();
    }

    @Test
    void headerIsPaddedWithSpacesSoTheDataSectionIsEightByteAligned() {
        byte[] bytes = SafetensorsFile.toBytes(List.of(MATRIX), Map.of("format", "pt"));
        long headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);

        assertThat(headerLength % 8).isZero();
        assertThat(header).startsWith("{\"__metadata__\":{\"format\":\"pt\"},\"b.weight\":")
                .contains("\"data_offsets\":[0,24]");
        assertThat(header.strip()).endsWith("}");
        assertThat(header.substring(header.strip().length())).matches(" *");
        assertThat(bytes).hasSize((int) (8 + headerLength + 24));
    }

    @Test
    void writeReplacesAnExistingFileAndLeavesNoTemporaryFile() throws Exception {
        Path file = dir.resolve("model.safetensors");
        SafetensorsFile.write(file, List.of(MATRIX, HALF), Map.of());
        SafetensorsFile.write(file, List.of(IDS), Map.of());

        assertThat(SafetensorsFile.read(file).keySet()).containsExactly("d.ids");
        try (var listing = Files.list(dir)) {
            assertThat(listing).containsExactly(file);
        }
    }

    @Test
    void writeRejectsDuplicateNames() {
        assertThatThrownBy(() -> SafetensorsFile.toBytes(List.of(MATRIX, MATRIX), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("duplicate tensor name 'b.weight'");
    }

    @Test
    void toFloatsWidensHalfAndBfloat16AndRefusesIntegers() {
        assertThat(HALF.toFloats()).containsExactly(1.0f, -2.0f);
        assertThat(BRAIN.toFloats()).containsExactly(1.0f, 3.140625f);
        assertThatThrownBy(IDS::toFloats).hasMessageContaining("'d.ids' has dtype I64");
    }

    @Test
    void tensorRejectsDataThatDoesNotMatchItsShape() {
        assertThatThrownBy(() -> new Tensor("x", DType.F32, new long[] {3}, ByteBuffer.allocate(8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tensor 'x': shape [3] of F32 needs 12 bytes, got 8");
        assertThatThrownBy(() -> Tensor.ofFloats("y", new long[] {2, 2}, new float[3]))
                .hasMessageContaining("shape [2, 2] holds 4 values, got 3");
    }

    // ---- hostile or corrupt files: each names what is wrong and where ----

    @Test
    void rejectsFileShorterThanTheLengthPrefix() {
        assertRejected(new byte[5], "5 bytes is shorter than the 8-byte header length prefix");
    }

    @Test
    void rejectsHeaderLengthBeyondTheFile() {
        assertRejected(withPrefix(1000, "{}".getBytes(StandardCharsets.UTF_8)),
                "header length 1000 is larger than the 2 bytes after the length prefix");
    }

    @Test
    void rejectsHeaderLengthOverOneHundredMegabytes() {
        assertRejected(withPrefix(100_000_001L, new byte[16]),
                "header length 100000001 is over the 100000000-byte limit");
        assertRejected(withPrefix(-1L, new byte[16]), "header length 18446744073709551615 is over");
    }

    @Test
    void rejectsHeaderThatIsNotJson() {
        assertRejected(file("{\"a\": {\"dtype\": ", 0), "header is not valid JSON");
    }

    @Test
    void rejectsHeaderThatIsNotAnObject() {
        assertRejected(file("[1, 2]", 0), "header must be a JSON object, starts with START_ARRAY");
    }

    @Test
    void rejectsContentAfterTheHeaderObject() {
        assertRejected(file("{} {}", 0), "unexpected START_OBJECT after the header object");
    }

    @Test
    void rejectsUnknownDtype() {
        assertRejected(file(entry("w", "F8_E4M3", "[2]", "[0, 2]"), 2), "tensor 'w': unknown dtype 'F8_E4M3'");
    }

    @Test
    void rejectsNegativeDimension() {
        assertRejected(file(entry("w", "F32", "[-1, 2]", "[0, 0]"), 0),
                "tensor 'w': shape must hold non-negative integers, got -1 at index 0");
    }

    @Test
    void rejectsShapeWhoseElementCountOverflows() {
        assertRejected(file(entry("w", "F32", "[4294967296, 4294967296]", "[0, 0]"), 0),
                "tensor 'w': shape [4294967296, 4294967296] has more elements than a long holds");
    }

    @Test
    void rejectsDataOffsetsThatAreNotAPair() {
        assertRejected(file(entry("w", "F32", "[1]", "[0]"), 4),
                "tensor 'w': data_offsets must be an array of 2 integers");
    }

    @Test
    void rejectsDataOffsetsThatBeginAfterTheyEnd() {
        assertRejected(file(entry("w", "F32", "[1]", "[8, 4]"), 8),
                "tensor 'w': data_offsets [8, 4] begin after they end");
    }

    @Test
    void rejectsDataOffsetsBeyondTheDataSection() {
        assertRejected(file(entry("w", "F32", "[2]", "[0, 8]"), 4),
                "tensor 'w': data_offsets end 8 is beyond the data section of 4 bytes");
    }

    @Test
    void rejectsByteCountThatDoesNotMatchTheShape() {
        assertRejected(file(entry("w", "F32", "[2]", "[0, 4]"), 4),
                "tensor 'w': data_offsets [0, 4] hold 4 bytes but shape [2] of F32 needs 8");
    }

    @Test
    void rejectsOverlappingTensors() {
        String header = "{" + body("a", "F32", "[2]", "[0, 8]") + "," + body("b", "F32", "[2]", "[4, 12]") + "}";
        assertRejected(file(header, 12), "tensor 'b': data_offsets [4, 12] overlap tensor 'a', which ends at 8");
    }

    @Test
    void rejectsHoleBetweenTensors() {
        String header = "{" + body("a", "F32", "[2]", "[0, 8]") + "," + body("b", "F32", "[2]", "[12, 20]") + "}";
        assertRejected(file(header, 20), "data section bytes [8, 12) belong to no tensor (hole before tensor 'b')");
    }

    @Test
    void rejectsBytesAfterTheLastTensor() {
        assertRejected(file(entry("a", "F32", "[2]", "[0, 8]"), 12), "data section bytes [8, 12) belong to no tensor");
    }

    @Test
    void rejectsDuplicateNames() {
        String header = "{" + body("a", "F32", "[1]", "[0, 4]") + "," + body("a", "F32", "[1]", "[4, 8]") + "}";
        assertRejected(file(header, 8), "duplicate tensor name 'a' in header");
    }

    @Test
    void rejectsMetadataThatIsNotStrings() {
        assertRejected(file("{\"__metadata__\": {\"rank\": 8}}", 0), "__metadata__ value for 'rank' must be a string");
    }

    @Test
    void errorsFromAFileNameTheFile() throws Exception {
        Path file = dir.resolve("broken.safetensors");
        Files.write(file, file(entry("w", "F32", "[2]", "[0, 4]"), 4));

        assertThatThrownBy(() -> SafetensorsFile.read(file))
                .isInstanceOf(SafetensorsFormatException.class)
                .hasMessageStartingWith(file + ": tensor 'w'");
    }

    private static void assertRejected(byte[] bytes, String message) {
        assertThatThrownBy(() -> SafetensorsFile.read(bytes))
                .isInstanceOf(SafetensorsFormatException.class)
                .hasMessageContaining(message);
    }

    private static String entry(String name, String dtype, String shape, String offsets) {
        return "{" + body(name, dtype, shape, offsets) + "}";
    }

    private static String body(String name, String dtype, String shape, String offsets) {
        return "\"" + name + "\": {\"dtype\": \"" + dtype + "\", \"shape\": " + shape + ", \"data_offsets\": "
                + offsets + "}";
    }

    /** A file with {@code header} and {@code dataBytes} zero bytes after it. */
    private static byte[] file(String header, int dataBytes) {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        byte[] rest = new byte[json.length + dataBytes];
        System.arraycopy(json, 0, rest, 0, json.length);
        return withPrefix(json.length, rest);
    }

    private static byte[] withPrefix(long headerLength, byte[] rest) {
        ByteBuffer buffer = ByteBuffer.allocate(8 + rest.length).order(ByteOrder.LITTLE_ENDIAN);
        return buffer.putLong(headerLength).put(rest).array();
    }

    private static ByteBuffer shorts(int... values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            buffer.putShort((short) v);
        }
        return buffer.flip();
    }

    private static ByteBuffer ints(int... values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            buffer.putInt(v);
        }
        return buffer.flip();
    }

    private static ByteBuffer longs(long... values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            buffer.putLong(v);
        }
        return buffer.flip();
    }
}
