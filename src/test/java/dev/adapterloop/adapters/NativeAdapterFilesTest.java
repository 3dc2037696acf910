package dev.adapterloop.adapters;

import static dev.adapterloop.adapters.StoredAdapterFixtures.BASE_MODEL;
import static dev.adapterloop.adapters.StoredAdapterFixtures.LABELS;
import static dev.adapterloop.adapters.StoredAdapterFixtures.QUERY_VALUE;
import static dev.adapterloop.adapters.StoredAdapterFixtures.logits;
import static dev.adapterloop.adapters.StoredAdapterFixtures.maxAbsDiff;
import static dev.adapterloop.adapters.StoredAdapterFixtures.perturb;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.adapterloop.adapters.lorma.LormaConfig.Placement;
import dev.adapterloop.adapters.lorma.LormaConfig.Variant;
import dev.adapterloop.adapters.lorma.LormaConfig;
import dev.adapterloop.model.PretrainedModel;
import dev.adapterloop.model.safetensors.DType;
import dev.adapterloop.model.safetensors.SafetensorsFile;
import dev.adapterloop.model.safetensors.Tensor;
import dev.adapterloop.testing.BundledModel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The project's own adapter format: every method and placement round-trips to a model of the same method with the
 * same outputs, and every way a hostile or mismatched folder can lie is refused with a message that names the field or
 * tensor, leaving the base model untouched.
 */
class NativeAdapterFilesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String QUERY_0 = NativeAdapterFiles.PREFIX + "encoder.layer.0.attention.self.query.";

    @TempDir
    Path tmp;

    static Stream<Arguments> everyMethodAndPlacement() {
        return StoredAdapterFixtures.everyMethodAndPlacement();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyMethodAndPlacement")
    void roundTripRebuildsTheSameMethodWithTheSameOutputs(String label, AdapterMethod method) throws IOException {
        PretrainedModel base = BundledModel.encoder();
        Path dir = tmp.resolve(label.replace(' ', '-'));
        try (NDManager manager = base.manager().newSubManager()) {
            float[] expected;
            Map<String, float[]> storedBefore;
            try (AdaptedClassifier model = AdaptedClassifier.create(base, LABELS, method, 5)) {
                perturb(model, 11);
                expected = logits(model, manager);
                storedBefore = StoredAdapterFixtures.storedValues(model);
                NativeAdapterFiles.write(model, BASE_MODEL, dir);
            }
            NativeAdapterConfig config = NativeAdapterFiles.readConfig(dir);
            assertThat(config.method()).isEqualTo(method);
            assertThat(config.labels()).isEqualTo(LABELS);
            assertThat(config.baseModel()).isEqualTo(BASE_MODEL);
            assertThat(config.baseModelFingerprint()).startsWith("sha256:").hasSize(7 + 64);
            try (AdaptedClassifier reloaded = NativeAdapterFiles.read(dir, base, BASE_MODEL)) {
                assertThat(reloaded.method()).isEqualTo(method);
                assertThat(reloaded.labels()).isEqualTo(LABELS);
                assertThat(List.copyOf(reloaded.layers().keySet())).isEqualTo(config.layers());
                Map<String, float[]> storedAfter = StoredAdapterFixtures.storedValues(reloaded);
                assertThat(storedAfter.keySet()).containsExactlyElementsOf(storedBefore.keySet());
                storedBefore.forEach((name, values) -> assertThat(Arrays.equals(storedAfter.get(name), values))
                        .as(name).isTrue());
                float[] actual = logits(reloaded, manager);
                double diff = maxAbsDiff(actual, expected);
                System.out.printf("native format %s (%d layers, %d tensors): max |logit difference| %.3g,"
                        + " bit-exact %s%n", label, reloaded.layers().size(), storedAfter.size(), diff,
                        Arrays.equals(actual, expected));
                assertThat(diff).isLessThanOrEqualTo(1e-6);
            }
        }
    }

    /** Exports start from the original W0, so a merged model writes the same files as an unmerged one. */
    @Test
    void aMergedModelWritesTheSameFilesAsAnUnmergedOne() throws IOException {
        PretrainedModel base = BundledModel.encoder();
        try (AdaptedClassifier model = AdaptedClassifier.create(base, LABELS,
                new LormaConfig(Variant.PLUS, 8, 16, 0.0, QUERY_VALUE, Placement.POST), 3)) {
            perturb(model, 4);
            NativeAdapterFiles.write(model, BASE_MODEL, tmp.resolve("native-unmerged"));
            PeftAdapterFiles.write(model, BASE_MODEL, tmp.resolve("peft-unmerged"));
            model.merge();
            NativeAdapterFiles.write(model, BASE_MODEL, tmp.resolve("native-merged"));
            PeftAdapterFiles.write(model, BASE_MODEL, tmp.resolve("peft-merged"));
            model.unmerge();
        }
        for (String format : List.of("native", "peft")) {
            for (String file : List.of(NativeAdapterFiles.WEIGHTS, NativeAdapterFiles.CONFIG)) {
                assertThat(Files.readAllBytes(tmp.resolve(format + "-merged").resolve(file)))
                        .as(format + " " + file).isEqualTo(Files.readAllBytes(tmp.resolve(format + "-unmerged")
                                .resolve(file)));
            }
        }
    }

    @Test
    void lormaPiIsRefusedByPeftWithAPointerToTheOtherFormats() throws IOException {
        PretrainedModel base = BundledModel.encoder();
        try (AdaptedClassifier model = AdaptedClassifier.create(base, LABELS,
                new LormaConfig(Variant.PI, 8, 16, 0.0, QUERY_VALUE), 5)) {
            assertThatThrownBy(() -> PeftAdapterFiles.write(model, BASE_MODEL, tmp.resolve("pi")))
                    .isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("lorma-pi adapters have no PEFT form")
                    .hasMessageContaining("NativeAdapterFiles").hasMessageContaining("MergedModelFiles");
        }
        Path dir = stored();
        assertThatThrownBy(() -> PeftAdapterFiles.read(dir, base, LABELS)).isInstanceOf(IOException.class)
                .hasMessageContaining("peft_type must be LORA, got 'ADAPTERLOOP'");
    }

    static Stream<Arguments> corruptions() {
        return Stream.of(
                corruption("a truncated weights file", dir -> truncate(dir.resolve(NativeAdapterFiles.WEIGHTS)),
                        NativeAdapterFiles.WEIGHTS),
                corruption("a tensor of the wrong shape", dir -> tensors(dir, map -> {
                    map.put(QUERY_0 + "lorma_A.weight", Tensor.ofFloats(QUERY_0 + "lorma_A.weight",
                            new long[] {8, 383}, new float[8 * 383]));
                    return map;
                }), "tensor '" + QUERY_0 + "lorma_A.weight' has shape [8, 383], expected [8, 384]"),
                corruption("a NaN", dir -> tensors(dir, map -> {
                    float[] values = map.get(QUERY_0 + "lorma_B.weight").toFloats();
                    values[42] = Float.NaN;
                    map.put(QUERY_0 + "lorma_B.weight", Tensor.ofFloats(QUERY_0 + "lorma_B.weight",
                            new long[] {384, 8}, values));
                    return map;
                }), "tensor '" + QUERY_0 + "lorma_B.weight' has a non-finite value (NaN) at flat index 42"),
                corruption("an infinity in the head", dir -> tensors(dir, map -> {
                    String key = NativeAdapterFiles.PREFIX + "classifier.bias";
                    map.put(key, Tensor.ofFloats(key, new long[] {3}, new float[] {0, Float.POSITIVE_INFINITY, 0}));
                    return map;
                }), "tensor '" + NativeAdapterFiles.PREFIX + "classifier.bias' has a non-finite value (Infinity)"),
                corruption("an unknown tensor", dir -> tensors(dir, map -> {
                    String key = QUERY_0 + "lora_magnitude_vector";
                    map.put(key, Tensor.ofFloats(key, new long[] {384}, new float[384]));
                    return map;
                }), "unexpected tensor '" + QUERY_0 + "lora_magnitude_vector'"),
                corruption("a missing tensor", dir -> tensors(dir, map -> {
                    map.remove(QUERY_0 + "lorma_B.weight");
                    return map;
                }), "missing tensor '" + QUERY_0 + "lorma_B.weight'"),
                corruption("an F16 tensor", dir -> tensors(dir, map -> {
                    String key = QUERY_0 + "lorma_A.weight";
                    map.put(key, new Tensor(key, DType.F16, new long[] {8, 384}, ByteBuffer.allocate(2 * 8 * 384)));
                    return map;
                }), "tensor '" + QUERY_0 + "lorma_A.weight' is F16"),
                corruption("an unknown method", dir -> config(dir, json -> json.put("method", "vera")),
                        "method must be one of [dora, lora, lorma-pi, lorma-plus, milora, pissa], got 'vera'"),
                corruption("a rank that does not match the tensors", dir -> config(dir, json -> json.put("r", 4)),
                        "tensor '" + QUERY_0 + "lorma_A.weight' has shape [8, 384], expected [4, 384]"),
                corruption("an unknown placement", dir -> config(dir, json -> json.put("placement", "middle")),
                        "placement must be one of [pre, post], got 'middle'"),
                corruption("another label count", dir -> config(dir,
                        json -> json.putArray("labels").add("ham").add("spam")),
                        "tensor '" + NativeAdapterFiles.PREFIX + "classifier.weight' has shape [3, 384], expected"
                                + " [2, 384]"),
                corruption("an unknown field", dir -> config(dir, json -> json.put("use_dora", true)),
                        "unknown field 'use_dora'"),
                corruption("a missing field", dir -> config(dir, json -> json.remove("lora_alpha")),
                        "field 'lora_alpha' is missing"),
                corruption("a mistyped field", dir -> config(dir, json -> json.put("r", "8")),
                        "field 'r' must be an integer, got \"8\""),
                corruption("rsLoRA on LoRMA", dir -> config(dir, json -> json.put("use_rslora", true)),
                        "unknown field 'use_rslora' (this reader knows"),
                corruption("a format 1 file with rsLoRA on LoRMA", dir -> config(dir,
                        json -> json.put("format_version", 1).put("use_rslora", true)),
                        "use_rslora true is not an option of method 'lorma-pi'"),
                corruption("an option of the wrong type", dir -> config(dir, json -> json.put("placement", true)),
                        "field 'placement' must be one of [pre, post], got true"),
                corruption("a missing option", dir -> config(dir, json -> json.remove("placement")),
                        "field 'placement' is missing (an option of method lorma-pi)"),
                corruption("a PEFT peft_type", dir -> config(dir, json -> json.put("peft_type", "LORA")),
                        "peft_type must be ADAPTERLOOP, got 'LORA' (a PEFT LoRA folder"),
                corruption("a newer format version", dir -> config(dir, json -> json.put("format_version", 3)),
                        "format_version 3 is not supported"),
                corruption("layers the targets do not select", dir -> config(dir,
                        json -> json.putArray("layers").add("encoder.layer.0.attention.self.query")),
                        "layers do not match what target_modules query,value selects"),
                corruption("other base weights", dir -> config(dir,
                        json -> json.put("base_model_fingerprint", "sha256:" + "0".repeat(64))),
                        "base_model_fingerprint sha256:000"),
                corruption("no weights file", dir -> Files.delete(dir.resolve(NativeAdapterFiles.WEIGHTS)),
                        "has no " + NativeAdapterFiles.WEIGHTS),
                corruption("no config file", dir -> Files.delete(dir.resolve(NativeAdapterFiles.CONFIG)),
                        "has no " + NativeAdapterFiles.CONFIG),
                corruption("a config that is not JSON", dir -> Files.writeString(dir.resolve(NativeAdapterFiles.CONFIG),
                        "{\"peft_type\": "), "not valid JSON"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corruptions")
    void aCorruptOrMismatchedFolderIsRefusedNamingTheProblem(String label, Corruption corruption, String message)
            throws IOException {
        PretrainedModel base = BundledModel.encoder();
        Path dir = stored();
        corruption.apply(dir);
        assertThatThrownBy(() -> NativeAdapterFiles.read(dir, base, BASE_MODEL))
                .as(label).isInstanceOf(AdapterFormatException.class).hasMessageContaining(message);
        assertThat(base.backbone().linearLayers().values()).as("nothing stays installed")
                .allMatch(linear -> linear.adapter() == null);
    }

    @Test
    void anotherBaseModelNameIsRefused() throws IOException {
        Path dir = stored();
        assertThatThrownBy(() -> NativeAdapterFiles.read(dir, BundledModel.encoder(), "models/bert-base-uncased/"))
                .isInstanceOf(AdapterFormatException.class)
                .hasMessageContaining("base_model_name_or_path is '" + BASE_MODEL + "' but the adapter is being"
                        + " loaded onto 'models/bert-base-uncased/'");
    }

    /** Format 1 wrote placement and use_rslora for every method: such files, already in buckets, still load. */
    @Test
    void aFormat1FileStillLoads() throws IOException {
        PretrainedModel base = BundledModel.encoder();
        Path dir = stored();
        config(dir, json -> json.put("format_version", 1).put("use_rslora", false));
        try (AdaptedClassifier model = NativeAdapterFiles.read(dir, base, BASE_MODEL)) {
            assertThat(model.method()).isEqualTo(new LormaConfig(Variant.PI, 8, 16, 0.0, QUERY_VALUE,
                    Placement.POST));
        }
    }

    @Test
    void theConfigDocumentsTheAdapter() throws IOException {
        Path dir = stored();
        ObjectNode json = (ObjectNode) JSON.readTree(dir.resolve(NativeAdapterFiles.CONFIG).toFile());
        assertThat(json.get("peft_type").asText()).isEqualTo("ADAPTERLOOP");
        assertThat(json.get("format_version").asInt()).isEqualTo(2);
        assertThat(json.get("method").asText()).isEqualTo("lorma-pi");
        assertThat(json.get("placement").asText()).isEqualTo("post");
        assertThat(json.has("use_rslora")).as("only the method's own options are written").isFalse();
        assertThat(json.get("r").asInt()).isEqualTo(8);
        assertThat(json.get("lora_alpha").asDouble()).isEqualTo(16.0);
        assertThat(json.get("layers")).hasSize(12);
        assertThat(json.get("modules_to_save").get(0).asText()).isEqualTo("classifier");
        Map<String, Tensor> tensors = SafetensorsFile.read(dir.resolve(NativeAdapterFiles.WEIGHTS));
        assertThat(tensors).hasSize(12 * 2 + 2).containsKeys(QUERY_0 + "lorma_A.weight", QUERY_0 + "lorma_B.weight",
                NativeAdapterFiles.PREFIX + "classifier.weight", NativeAdapterFiles.PREFIX + "classifier.bias");
        assertThat(tensors.get(QUERY_0 + "lorma_A.weight").shape()).containsExactly(8, 384);
    }

    /** A LoRMA_π post adapter on query and value (12 layers), written to a fresh folder. */
    private Path stored() throws IOException {
        Path dir = Files.createTempDirectory(tmp, "pi-post");
        try (AdaptedClassifier model = AdaptedClassifier.create(BundledModel.encoder(), LABELS,
                new LormaConfig(Variant.PI, 8, 16, 0.0, QUERY_VALUE, Placement.POST), 9)) {
            perturb(model, 2);
            NativeAdapterFiles.write(model, BASE_MODEL, dir);
        }
        return dir;
    }

    @FunctionalInterface
    interface Corruption {
        void apply(Path dir) throws IOException;
    }

    private static Arguments corruption(String label, Corruption corruption, String message) {
        return Arguments.of(label, corruption, message);
    }

    private static void truncate(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() / 2);
        }
    }

    private static void tensors(Path dir, UnaryOperator<Map<String, Tensor>> change) throws IOException {
        Path file = dir.resolve(NativeAdapterFiles.WEIGHTS);
        Map<String, Tensor> tensors = change.apply(new LinkedHashMap<>(SafetensorsFile.read(file)));
        SafetensorsFile.write(file, tensors.values(), Map.of("format", "pt"));
    }

    private static void config(Path dir, Consumer<ObjectNode> change) throws IOException {
        Path file = dir.resolve(NativeAdapterFiles.CONFIG);
        ObjectNode json = (ObjectNode) JSON.readTree(file.toFile());
        change.accept(json);
        JSON.writeValue(file.toFile(), json);
    }
}
