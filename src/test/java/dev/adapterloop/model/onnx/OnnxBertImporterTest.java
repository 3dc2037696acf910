package dev.adapterloop.model.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterloop.model.BertConfig;
import dev.adapterloop.model.safetensors.SafetensorsFile;
import dev.adapterloop.model.safetensors.Tensor;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Imports the all-MiniLM-L6-v2 ONNX model bundled in langchain4j's jar (read once for the class). */
class OnnxBertImporterTest {

    private static byte[] onnx;
    private static OnnxGraph graph;
    private static ImportedModel model;

    @TempDir
    Path dir;

    @BeforeAll
    static void importBundledModel() throws Exception {
        try (InputStream in = OnnxBertImporterTest.class.getResourceAsStream(OnnxBertImporter.BUNDLED_ONNX)) {
            onnx = in.readAllBytes();
        }
        graph = OnnxModelReader.read(onnx);
        model = new OnnxBertImporter().importGraph(graph);
    }

    @Test
    void yieldsExactlyTheBertModelTensors() {
        assertThat(model.tensors().keySet()).containsExactlyInAnyOrderElementsOf(expectedNames());
        assertThat(model.tensors()).hasSize(101);
        assertThat(model.parameterCount()).isEqualTo(22_565_376L);
    }

    @Test
    void linearWeightsArePyTorchShaped() {
        for (int layer = 0; layer < 6; layer++) {
            String p = "encoder.layer." + layer + ".";
            assertThat(shape(p + "attention.self.query.weight")).containsExactly(384, 384);
            assertThat(shape(p + "attention.output.dense.weight")).containsExactly(384, 384);
            assertThat(shape(p + "intermediate.dense.weight")).containsExactly(1536, 384);
            assertThat(shape(p + "intermediate.dense.bias")).containsExactly(1536);
            assertThat(shape(p + "output.dense.weight")).containsExactly(384, 1536);
        }
        assertThat(shape("embeddings.word_embeddings.weight")).containsExactly(30522, 384);
        assertThat(shape("embeddings.position_embeddings.weight")).containsExactly(512, 384);
        assertThat(shape("embeddings.token_type_embeddings.weight")).containsExactly(2, 384);
    }

    @Test
    void configComesFromTheShapesAndTheHeadCountFromTheGraph() {
        BertConfig config = model.config();

        assertThat(List.of(config.vocabSize(), config.hiddenSize(), config.numHiddenLayers(),
                config.numAttentionHeads(), config.intermediateSize(), config.maxPositionEmbeddings(),
                config.typeVocabSize())).containsExactly(30522, 384, 6, 12, 1536, 512, 2);
        assertThat(model.attentionHeadsFromGraph()).isTrue();
        // the only initializer that is not a parameter: the position_ids buffer (INT64 [1, 512])
        assertThat(model.skippedInitializers()).containsExactly("embeddings.position_ids");
    }

    /** x·W_onnx (ONNX's [in, out]) must equal W_hf·x (PyTorch's [out, in]): proves the transpose, not just shapes. */
    @Test
    void importedLinearWeightsComputeWhatTheGraphComputes() throws Exception {
        assertSameProduct("/encoder/layer.0/attention/self/query/MatMul",
                "encoder.layer.0.attention.self.query.weight");
        assertSameProduct("/encoder/layer.3/intermediate/dense/MatMul", "encoder.layer.3.intermediate.dense.weight");
    }

    @Test
    void writesAHuggingFaceFolderThatReadsBack() throws Exception {
        new OnnxBertImporter().writeBundledMiniLm(dir);

        Map<String, Tensor> weights = SafetensorsFile.read(dir.resolve("model.safetensors"));
        assertThat(weights).isEqualTo(model.tensors());
        assertThat(SafetensorsFile.metadata(dir.resolve("model.safetensors"))).containsEntry("format", "pt");

        BertConfig config = BertConfig.read(dir.resolve("config.json"));
        assertThat(config).isEqualTo(model.config());
        JsonNode json = new ObjectMapper().readTree(dir.resolve("config.json").toFile());
        assertThat(json.get("model_type").textValue()).isEqualTo("bert");
        assertThat(json.get("architectures").toString()).isEqualTo("[\"BertModel\"]");
        assertThat(json.get("layer_norm_eps").doubleValue()).isEqualTo(1e-12);
        assertThat(json.get("pad_token_id").intValue()).isZero();

        JsonNode tokenizer = new ObjectMapper().readTree(dir.resolve("tokenizer.json").toFile());
        assertThat(tokenizer.get("model").get("vocab").size()).isEqualTo(config.vocabSize());
    }

    @Test
    void truncatedFileFailsWithAClearError() throws Exception {
        Path truncated = Files.write(dir.resolve("truncated.onnx"), Arrays.copyOf(onnx, onnx.length / 2));

        assertThatThrownBy(() -> new OnnxBertImporter().importModel(truncated))
                .isInstanceOf(OnnxFormatException.class)
                .hasMessageStartingWith(truncated + ": ModelProto is truncated or corrupt at byte");
    }

    private void assertSameProduct(String matMulNode, String hfName) throws Exception {
        OnnxNode node = graph.nodes().stream().filter(n -> n.name().equals(matMulNode)).findFirst().orElseThrow();
        OnnxTensor onnxWeight = graph.initializers().get(node.inputs().get(1));
        int in = (int) onnxWeight.dims()[0];
        int out = (int) onnxWeight.dims()[1];
        float[] wOnnx = onnxWeight.floats();
        float[] wHf = model.tensors().get(hfName).toFloats();
        float[] x = randomVector(in);

        for (int o = 0; o < out; o++) {
            double graphY = 0;
            double hfY = 0;
            for (int i = 0; i < in; i++) {
                graphY += x[i] * wOnnx[i * out + o];
                hfY += wHf[o * in + i] * x[i];
            }
            assertThat(hfY).as("%s output %d", hfName, o).isCloseTo(graphY, within(1e-5));
        }
    }

    private static float[] randomVector(int size) {
        Random random = new Random(42);
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = random.nextFloat() * 2 - 1;
        }
        return x;
    }

    private static long[] shape(String name) {
        return model.tensors().get(name).shape();
    }

    /** Spelled out here, independently of the importer's own layout table. */
    private static List<String> expectedNames() {
        List<String> names = new ArrayList<>(List.of("embeddings.word_embeddings.weight",
                "embeddings.position_embeddings.weight", "embeddings.token_type_embeddings.weight",
                "embeddings.LayerNorm.weight", "embeddings.LayerNorm.bias"));
        for (int layer = 0; layer < 6; layer++) {
            for (String module : List.of("attention.self.query", "attention.self.key", "attention.self.value",
                    "attention.output.dense", "attention.output.LayerNorm", "intermediate.dense", "output.dense",
                    "output.LayerNorm")) {
                names.add("encoder.layer." + layer + "." + module + ".weight");
                names.add("encoder.layer." + layer + "." + module + ".bias");
            }
        }
        return names;
    }
}
