package dev.adapterloop.model.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterloop.model.safetensors.SafetensorsFile;
import dev.adapterloop.model.safetensors.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The importer's rules on a hand-built one-layer BERT, where every case is cheap to construct. */
class OnnxBertImporterTinyTest {

    @TempDir
    Path dir;

    @Test
    void transposesAnonymousMatMulWeightsIntoNamedLinearWeights() throws Exception {
        ImportedModel model = importTiny(new TinyBert(), 2);

        Tensor intermediate = model.tensors().get("encoder.layer.0.intermediate.dense.weight");
        assertThat(intermediate.shape()).containsExactly(TinyBert.INTERMEDIATE, TinyBert.HIDDEN);
        float[] values = intermediate.toFloats();
        // ONNX [in][out] = 100 * in + out, so PyTorch's [out][in] at (out=5, in=3) is 305
        assertThat(values[5 * TinyBert.HIDDEN + 3]).isEqualTo(305f);
        assertThat(model.tensors()).hasSize(5 + 16).doesNotContainKey("embeddings.position_ids");
        assertThat(model.skippedInitializers()).containsExactly("embeddings.position_ids");
    }

    @Test
    void usesTheFallbackHeadCountWhenTheGraphHasNoAttentionReshape() throws Exception {
        ImportedModel model = importTiny(new TinyBert(), 2);

        assertThat(model.config().numAttentionHeads()).isEqualTo(2);
        assertThat(model.attentionHeadsFromGraph()).isFalse();
    }

    @Test
    void readsTheHeadCountFromTheAttentionReshapeOverTheFallback() throws Exception {
        ImportedModel model = importTiny(new TinyBert().withHeadReshape(), 4);

        assertThat(model.config().numAttentionHeads()).isEqualTo(2);
        assertThat(model.attentionHeadsFromGraph()).isTrue();
    }

    @Test
    void takesWeightsStoredInConstantNodes() throws Exception {
        ImportedModel model = importTiny(new TinyBert().queryInConstantNode(), 2);

        float[] query = model.tensors().get("encoder.layer.0.attention.self.query.weight").toFloats();
        assertThat(query[2 * TinyBert.HIDDEN + 1]).isEqualTo(102f);
    }

    @Test
    void namesWeightsOfUnnamedNodesFromTheirOutput() throws Exception {
        ImportedModel model = importTiny(new TinyBert().unnamedNodes(), 2);

        assertThat(model.tensors()).containsKey("encoder.layer.0.output.dense.weight");
    }

    @Test
    void namesTheMissingTensor() {
        byte[] onnx = new TinyBert().omit("encoder.layer.0.output.LayerNorm.bias").model();

        assertThatThrownBy(() -> new OnnxBertImporter(2).importGraph(OnnxModelReader.read(onnx)))
                .isInstanceOf(OnnxFormatException.class)
                .hasMessage("imported weights do not match the BertModel layout: missing "
                        + "encoder.layer.0.output.LayerNorm.bias");
    }

    @Test
    void rejectsIntegerWeights() {
        byte[] onnx = new TinyBert().queryAsInt64().model();

        assertThatThrownBy(() -> new OnnxBertImporter(2).importGraph(OnnxModelReader.read(onnx)))
                .isInstanceOf(OnnxFormatException.class)
                .hasMessage("tensor 'onnx::MatMul_700' has data_type INT64 (7); FLOAT (1) is required");
    }

    @Test
    void rejectsAFallbackHeadCountThatDoesNotDivideTheHiddenSize() {
        assertThatThrownBy(() -> importTiny(new TinyBert(), 3))
                .isInstanceOf(OnnxFormatException.class)
                .hasMessageContaining("hidden_size 4 is not a multiple of num_attention_heads 3");
    }

    @Test
    void writesAFolderFromFiles() throws Exception {
        Path onnx = Files.write(dir.resolve("tiny.onnx"), new TinyBert().withHeadReshape().model());
        Path tokenizer = Files.writeString(dir.resolve("tok.json"), "{\"model\": {\"vocab\": {}}}");
        Path out = dir.resolve("hf");

        new OnnxBertImporter().writeHuggingFaceFolder(onnx, tokenizer, out);

        JsonNode config = new ObjectMapper().readTree(out.resolve("config.json").toFile());
        assertThat(config.get("hidden_size").intValue()).isEqualTo(4);
        assertThat(config.get("num_attention_heads").intValue()).isEqualTo(2);
        Map<String, Tensor> weights = SafetensorsFile.read(out.resolve("model.safetensors"));
        assertThat(weights.get("encoder.layer.0.output.dense.weight").shape()).containsExactly(4, 8);
        assertThat(out.resolve("tokenizer.json")).hasSameTextualContentAs(tokenizer);
    }

    private static ImportedModel importTiny(TinyBert bert, int fallbackHeads) throws Exception {
        return new OnnxBertImporter(fallbackHeads).importGraph(OnnxModelReader.read(bert.model()));
    }
}
