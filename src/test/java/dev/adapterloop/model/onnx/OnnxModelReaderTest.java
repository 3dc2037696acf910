package dev.adapterloop.model.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class OnnxModelReaderTest {

    @Test
    void readsNodesInitializersConstantsAndGraphIo() throws Exception {
        byte[] model = new OnnxModels()
                .initializer(OnnxModels.floatTensor("w", new long[] {2, 3}, 1, 2, 3, 4, 5, 6))
                .initializer(OnnxModels.int64Tensor("ids", new long[] {2}, 7, -8))
                .node(OnnxModels.constant("shape", OnnxModels.int64Tensor("", new long[] {1}, 12)))
                .node(OnnxModels.node("/mm/MatMul", "MatMul", List.of("x", "w"), List.of("y")))
                .model();

        OnnxGraph graph = OnnxModelReader.read(model);

        assertThat(graph.initializers().keySet()).containsExactly("w", "ids");
        assertThat(graph.initializers().get("w").dims()).containsExactly(2, 3);
        assertThat(graph.initializers().get("w").floats()).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(graph.initializers().get("ids").longs()).containsExactly(7, -8);
        assertThat(graph.nodes()).extracting(OnnxNode::opType).containsExactly("Constant", "MatMul");
        assertThat(graph.constant("shape").orElseThrow().longs()).containsExactly(12);
        assertThat(graph.producer("y").orElseThrow().name()).isEqualTo("/mm/MatMul");
        assertThat(graph.consumers("w")).extracting(OnnxNode::name).containsExactly("/mm/MatMul");
        assertThat(graph.inputs()).containsExactly("input_ids");
        assertThat(graph.outputs()).containsExactly("last_hidden_state");
    }

    @Test
    void readsTypedFieldsUnpackedDimsAndSkipsUnknownFields() throws Exception {
        Proto floats = new Proto().varint(1, 2).varint(2, OnnxTensor.FLOAT).fixed32(4, Float.floatToIntBits(1.5f))
                .fixed32(4, Float.floatToIntBits(-2f)).string(8, "f").string(12, "doc").varint(99, 5);
        Proto packedFloats = new Proto().packed(1, 2).varint(2, OnnxTensor.FLOAT)
                .bytes(4, Proto.littleEndian(3f, 4f)).string(8, "p");
        Proto longs = new Proto().packed(1, 3).varint(2, OnnxTensor.INT64).packed(7, 1, -1, 1L << 40).string(8, "l");
        byte[] model = new OnnxModels().initializer(floats).initializer(packedFloats).initializer(longs).model();

        OnnxGraph graph = OnnxModelReader.read(model);

        assertThat(graph.initializers().get("f").floats()).containsExactly(1.5f, -2f);
        assertThat(graph.initializers().get("p").floats()).containsExactly(3f, 4f);
        assertThat(graph.initializers().get("l").longs()).containsExactly(1, -1, 1L << 40);
    }

    @Test
    void rejectsNonFloatWhereAFloatIsRequired() throws Exception {
        OnnxTensor ids = OnnxModelReader.read(new OnnxModels()
                .initializer(OnnxModels.int64Tensor("ids", new long[] {1}, 3)).model()).initializers().get("ids");

        assertThatThrownBy(ids::floats)
                .isInstanceOf(OnnxFormatException.class)
                .hasMessage("tensor 'ids' has data_type INT64 (7); FLOAT (1) is required");
    }

    @Test
    void rejectsExternalDataLocation() {
        Proto tensor = new Proto().packed(1, 2).varint(2, OnnxTensor.FLOAT).string(8, "big").varint(14, 1);

        assertThatThrownBy(() -> OnnxModelReader.read(new OnnxModels().initializer(tensor).model()))
                .isInstanceOf(OnnxFormatException.class)
                .hasMessageContaining("initializer #0 'big' keeps its data in an external file");
    }

    @Test
    void rejectsExternalDataEntries() {
        Proto location = new Proto().string(1, "location").string(2, "weights.bin");
        Proto tensor = new Proto().packed(1, 2).varint(2, OnnxTensor.FLOAT).string(8, "big").message(13, location);

        assertThatThrownBy(() -> OnnxModelReader.read(new OnnxModels().initializer(tensor).model()))
                .hasMessageContaining("'big' keeps its data in an external file");
    }

    @Test
    void rejectsDataThatDoesNotMatchDims() {
        Proto tensor = OnnxModels.floatTensor("w", new long[] {2, 2}, 1, 2);

        assertThatThrownBy(() -> OnnxModelReader.read(new OnnxModels().initializer(tensor).model()))
                .isInstanceOf(OnnxFormatException.class)
                .hasMessageContaining("tensor 'w': 8 bytes of data but dims [2, 2] of FLOAT (1) need 16");
    }

    /** dims whose byte size wraps around a long to exactly the (empty) data: once accepted, then failed on use. */
    @Test
    void rejectsDimsThatOverflowAtParseTime() {
        Proto wrapsToZeroBytes = new Proto().packed(1, 1L << 61).varint(2, OnnxTensor.INT64).string(8, "ids")
                .bytes(9, new byte[0]);
        assertThatThrownBy(() -> OnnxModelReader.read(new OnnxModels().initializer(wrapsToZeroBytes).model()))
                .isInstanceOf(OnnxFormatException.class)
                .hasMessageContaining("tensor 'ids': dims [2305843009213693952] have a dimension over 2147483647");

        Proto tooManyElements = new Proto().packed(1, 1L << 30, 1L << 30, 4).varint(2, OnnxTensor.FLOAT)
                .string(8, "w").bytes(9, new byte[0]);
        assertThatThrownBy(() -> OnnxModelReader.read(new OnnxModels().initializer(tooManyElements).model()))
                .isInstanceOf(OnnxFormatException.class)
                .hasMessageContaining("tensor 'w': dims [1073741824, 1073741824, 4] have more than 2147483647"
                        + " elements");
    }

    @Test
    void rejectsRawDataShorterThanTheDimsOfAnyFixedSizeType() {
        Proto half = new Proto().packed(1, 3).varint(2, 10).string(8, "h").bytes(9, new byte[2]);
        assertThatThrownBy(() -> OnnxModelReader.read(new OnnxModels().initializer(half).model()))
                .isInstanceOf(OnnxFormatException.class)
                .hasMessageContaining("tensor 'h': 2 bytes of data but dims [3] of FLOAT16 (10) need 6");
    }

    @Test
    void rejectsTruncatedModel() {
        byte[] model = new OnnxModels().initializer(OnnxModels.floatTensor("w", new long[] {4}, 1, 2, 3, 4)).model();
        byte[] truncated = Arrays.copyOf(model, model.length - 5);

        assertThatThrownBy(() -> OnnxModelReader.read(truncated))
                .isInstanceOf(OnnxFormatException.class)
                .hasMessageContaining("ONNX model: ModelProto is truncated or corrupt at byte");
    }

    @Test
    void rejectsTheBundledModelCutShort() throws Exception {
        byte[] head;
        try (InputStream in = getClass().getResourceAsStream(OnnxBertImporter.BUNDLED_ONNX)) {
            head = in.readNBytes(1 << 20);
        }

        assertThatThrownBy(() -> OnnxModelReader.read(head))
                .isInstanceOf(OnnxFormatException.class)
                .hasMessageContaining("truncated or corrupt")
                .hasMessageContaining("input ended unexpectedly");
    }

    @Test
    void rejectsBytesThatAreNotAModel() {
        byte[] text = "{\"not\": \"a model\"}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> OnnxModelReader.read(text)).isInstanceOf(OnnxFormatException.class);
        assertThatThrownBy(() -> OnnxModelReader.read(new Proto().varint(1, 8).toByteArray()))
                .hasMessageContaining("no graph (ModelProto field 7)");
    }
}
