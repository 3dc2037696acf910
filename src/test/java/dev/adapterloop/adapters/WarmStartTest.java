package dev.adapterloop.adapters;

import static dev.adapterloop.adapters.StoredAdapterFixtures.BASE_MODEL;
import static dev.adapterloop.adapters.StoredAdapterFixtures.LABELS;
import static dev.adapterloop.adapters.StoredAdapterFixtures.QUERY_VALUE;
import static dev.adapterloop.adapters.StoredAdapterFixtures.logits;
import static dev.adapterloop.adapters.StoredAdapterFixtures.perturb;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.adapterloop.adapters.lora.LoraConfig;
import dev.adapterloop.adapters.milora.MiloraLayer;
import dev.adapterloop.model.PretrainedModel;
import dev.adapterloop.model.safetensors.SafetensorsFile;
import dev.adapterloop.model.safetensors.Tensor;
import dev.adapterloop.testing.BundledModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Warm start from a stored version: every method's version carries what an exact warm start needs, loading it into a
 * fresh model of the same configuration gives bit for bit the stored model's outputs, and a version built for another
 * configuration is refused naming the field, leaving the model as it was.
 */
class WarmStartTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    static Stream<Arguments> everyMethod() {
        return AdapterMethods.names().stream().map(name -> Arguments.of(name,
                AdapterMethods.create(name, new SharedHyperparameters(8, 16, 0.0, QUERY_VALUE))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyMethod")
    void aWarmStartedModelComputesExactlyWhatTheStoredOneComputed(String name, AdapterMethod method)
            throws IOException {
        PretrainedModel base = BundledModel.encoder();
        Path dir = tmp.resolve(name);
        try (NDManager manager = base.manager().newSubManager()) {
            float[] expected;
            Map<String, float[]> storedValues;
            try (AdaptedClassifier source = AdaptedClassifier.create(base, LABELS, method, 5)) {
                perturb(source, 11);
                expected = logits(source, manager);
                storedValues = StoredAdapterFixtures.storedValues(source);
                List<Path> files = StoredVersionFiles.write(source, BASE_MODEL, dir);
                List<String> names = files.stream().map(Path::toString).toList();
                if (method.peftSettings().isPresent()) {
                    assertThat(names).containsExactly("adapter_config.json", "adapter_model.safetensors",
                            "native/adapter_config.json", "native/adapter_model.safetensors");
                    assertThat(Files.readString(dir.resolve("adapter_config.json"))).contains("\"LORA\"");
                } else {
                    assertThat(names).containsExactly("adapter_config.json", "adapter_model.safetensors");
                }
                assertThat(StoredVersionFiles.nativeDir(dir))
                        .isEqualTo(method.peftSettings().isPresent() ? dir.resolve("native") : dir);
            }
            try (AdaptedClassifier fresh = AdaptedClassifier.create(base, LABELS, method, 99)) {
                Map<String, NDArray> parameters = fresh.trainableParameters();
                assertThat(Arrays.equals(logits(fresh, manager), expected)).as("a fresh model differs").isFalse();

                NativeAdapterConfig loaded = WarmStart.load(fresh, dir, BASE_MODEL);

                assertThat(loaded.method()).isEqualTo(method);
                float[] actual = logits(fresh, manager);
                System.out.printf("warm start %s: bit-exact %s%n", name, Arrays.equals(actual, expected));
                assertThat(actual).as("logits after warm start").containsExactly(expected);
                Map<String, float[]> after = StoredAdapterFixtures.storedValues(fresh);
                assertThat(after.keySet()).containsExactlyElementsOf(storedValues.keySet());
                storedValues.forEach((key, value) -> assertThat(after.get(key)).as(key).containsExactly(value));
                Map<String, NDArray> parametersAfter = fresh.trainableParameters();
                parameters.forEach((key, array) -> {
                    assertThat(parametersAfter.get(key)).as("same array object " + key).isSameAs(array);
                    assertThat(array.hasGradient()).as("requires gradient " + key).isTrue();
                });
                // The loaded values live in memory PyTorch owns: a garbage collection does not change them.
                System.gc();
                assertThat(logits(fresh, manager)).as("logits after a GC").containsExactly(expected);
            }
        }
    }

    /**
     * MiLoRA/PiSSA keep the stored split of W0, not the fresh model's SVD: with stored initial factors that differ
     * from the fresh model's, the warm-started model still equals the stored version read on its own.
     */
    @Test
    void miloraRecomputesItsResidualFromTheStoredInitialFactors() throws IOException {
        PretrainedModel base = BundledModel.encoder();
        AdapterMethod method = AdapterMethods.create("pissa", new SharedHyperparameters(8, 16, 0.0, QUERY_VALUE));
        Path dir = tmp.resolve("pissa");
        try (AdaptedClassifier source = AdaptedClassifier.create(base, LABELS, method, 5)) {
            perturb(source, 11);
            StoredVersionFiles.write(source, BASE_MODEL, dir);
        }
        Path weights = dir.resolve("native").resolve(NativeAdapterFiles.WEIGHTS);
        Map<String, Tensor> tensors = new LinkedHashMap<>(SafetensorsFile.read(weights));
        tensors.replaceAll((key, tensor) -> key.endsWith(MiloraLayer.INIT_A_KEY) ? scaled(tensor, 1.01f) : tensor);
        SafetensorsFile.write(weights, tensors.values(), Map.of("format", "pt"));

        try (NDManager manager = base.manager().newSubManager()) {
            float[] expected;
            try (AdaptedClassifier reference = NativeAdapterFiles.read(dir.resolve("native"), base, BASE_MODEL)) {
                expected = logits(reference, manager);
            }
            try (AdaptedClassifier fresh = AdaptedClassifier.create(base, LABELS, method, 99)) {
                WarmStart.load(fresh, dir, BASE_MODEL);
                assertThat(logits(fresh, manager)).containsExactly(expected);
            }
        }
    }

    static Stream<Arguments> mismatches() {
        return Stream.of(
                Arguments.of("r", new LoraConfig(4, 16, 0.0, QUERY_VALUE, false), LABELS),
                Arguments.of("method", AdapterMethods.create("lorma-plus",
                        new SharedHyperparameters(8, 16, 0.0, QUERY_VALUE)), LABELS),
                Arguments.of("lora_alpha", new LoraConfig(8, 8, 0.0, QUERY_VALUE, false), LABELS),
                Arguments.of("use_rslora", new LoraConfig(8, 16, 0.0, QUERY_VALUE, true), LABELS),
                Arguments.of("target_modules", new LoraConfig(8, 16, 0.0, TargetModules.of("query"), false), LABELS),
                Arguments.of("labels", new LoraConfig(8, 16, 0.0, QUERY_VALUE, false), List.of("ham", "spam")),
                Arguments.of("labels", new LoraConfig(8, 16, 0.0, QUERY_VALUE, false),
                        List.of("spam", "ham", "phishing")));
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("mismatches")
    void anAdapterForAnotherConfigurationIsRefusedNamingTheField(String field, AdapterMethod method,
                                                                 List<String> labels) throws IOException {
        Path dir = storedLora();
        assertRefused(dir, method, labels, BASE_MODEL, field);
    }

    @Test
    void anotherBaseModelIdOrOtherBaseWeightsAreRefused() throws IOException {
        Path dir = storedLora();
        LoraConfig method = new LoraConfig(8, 16, 0.0, QUERY_VALUE, false);
        assertRefused(dir, method, LABELS, "models/bert-base-uncased/", "base_model_name_or_path");
        config(dir.resolve("native"), json -> json.put("base_model_fingerprint", "sha256:" + "0".repeat(64)));
        assertRefused(dir, method, LABELS, BASE_MODEL, "base_model_fingerprint");
    }

    @Test
    void onlyTheDropoutMayDiffer() throws IOException {
        Path dir = storedLora();
        try (AdaptedClassifier fresh = AdaptedClassifier.create(BundledModel.encoder(), LABELS,
                new LoraConfig(8, 16, 0.3, QUERY_VALUE, false), 99)) {
            assertThat(WarmStart.load(fresh, dir, BASE_MODEL).method().name()).isEqualTo("lora");
        }
    }

    @Test
    void aVersionWithOnlyPeftFilesIsRefusedAsNotExact() throws IOException {
        Path dir = tmp.resolve("peft-only");
        LoraConfig method = new LoraConfig(8, 16, 0.0, QUERY_VALUE, false);
        try (AdaptedClassifier source = AdaptedClassifier.create(BundledModel.encoder(), LABELS, method, 5)) {
            PeftAdapterFiles.write(source, BASE_MODEL, dir);
        }
        try (AdaptedClassifier fresh = AdaptedClassifier.create(BundledModel.encoder(), LABELS, method, 99)) {
            assertThatThrownBy(() -> WarmStart.load(fresh, dir, BASE_MODEL))
                    .isInstanceOf(AdapterFormatException.class)
                    .isNotInstanceOf(IncompatibleAdapterException.class)
                    .hasMessageContaining("has only the PEFT form");
        }
    }

    @Test
    void aCorruptTensorIsRefusedBeforeTheModelChanges() throws IOException {
        Path dir = storedLora();
        Path weights = dir.resolve("native").resolve(NativeAdapterFiles.WEIGHTS);
        Map<String, Tensor> tensors = new LinkedHashMap<>(SafetensorsFile.read(weights));
        String last = NativeAdapterFiles.PREFIX + "classifier.bias";
        tensors.put(last, Tensor.ofFloats(last, new long[] {3}, new float[] {0, Float.NaN, 0}));
        SafetensorsFile.write(weights, tensors.values(), Map.of("format", "pt"));
        PretrainedModel base = BundledModel.encoder();
        try (NDManager manager = base.manager().newSubManager();
             AdaptedClassifier fresh = AdaptedClassifier.create(base, LABELS,
                     new LoraConfig(8, 16, 0.0, QUERY_VALUE, false), 99)) {
            float[] before = logits(fresh, manager);
            assertThatThrownBy(() -> WarmStart.load(fresh, dir, BASE_MODEL))
                    .isInstanceOf(AdapterFormatException.class).hasMessageContaining("non-finite value (NaN)");
            assertThat(logits(fresh, manager)).containsExactly(before);
        }
    }

    private void assertRefused(Path dir, AdapterMethod method, List<String> labels, String baseModel, String field) {
        PretrainedModel base = BundledModel.encoder();
        try (NDManager manager = base.manager().newSubManager();
             AdaptedClassifier fresh = AdaptedClassifier.create(base, labels, method, 99)) {
            float[] before = logits(fresh, manager);
            assertThatThrownBy(() -> WarmStart.load(fresh, dir, baseModel))
                    .isInstanceOf(IncompatibleAdapterException.class)
                    .hasMessageContaining(": cannot warm-start from this adapter: " + field + " is ")
                    .satisfies(e -> assertThat(((IncompatibleAdapterException) e).field()).isEqualTo(field));
            assertThat(logits(fresh, manager)).as("model unchanged").containsExactly(before);
        }
    }

    /** A perturbed LoRA (r 8, alpha 16, query/value, three labels) stored as a version. */
    private Path storedLora() throws IOException {
        Path dir = Files.createTempDirectory(tmp, "lora");
        try (AdaptedClassifier model = AdaptedClassifier.create(BundledModel.encoder(), LABELS,
                new LoraConfig(8, 16, 0.0, QUERY_VALUE, false), 5)) {
            perturb(model, 2);
            StoredVersionFiles.write(model, BASE_MODEL, dir);
        }
        return dir;
    }

    private static Tensor scaled(Tensor tensor, float factor) {
        float[] values = tensor.toFloats();
        for (int i = 0; i < values.length; i++) {
            values[i] *= factor;
        }
        return Tensor.ofFloats(tensor.name(), tensor.shape(), values);
    }

    private static void config(Path dir, Consumer<ObjectNode> change) throws IOException {
        Path file = dir.resolve(NativeAdapterFiles.CONFIG);
        ObjectNode json = (ObjectNode) JSON.readTree(file.toFile());
        change.accept(json);
        JSON.writeValue(file.toFile(), json);
    }
}
