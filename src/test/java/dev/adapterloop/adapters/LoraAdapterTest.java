package dev.adapterloop.adapters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.adapterloop.adapters.lora.LoraConfig;
import dev.adapterloop.model.PretrainedModel;
import dev.adapterloop.model.TextTokenizer;
import dev.adapterloop.model.safetensors.SafetensorsFile;
import dev.adapterloop.model.safetensors.Tensor;
import dev.adapterloop.testing.BundledModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LoRA on the real layers of the bundled MiniLM: the properties of docs/methods.md that hold for it, and its files.
 */
class LoraAdapterTest {

    private static final LoraConfig LORA = new LoraConfig(8, 16, 0.0, TargetModules.of("query", "value"), false);
    private static final List<String> LABELS = List.of("ham", "spam");
    private static final List<String> TEXTS = List.of("Win a free prize now!!!", "Meeting moved to 3pm, see you",
            "cheap meds online", "Re: the build is green again");

    @TempDir
    Path tmp;

    @Test
    void atInitTheAdaptedEncoderReproducesTheBaseModelExactly() {
        PretrainedModel base = BundledModel.encoder();
        try (NDManager manager = base.manager().newSubManager()) {
            NDList batch = batch(base, manager);
            float[] before = hidden(base, batch, manager);
            try (AdaptedClassifier model = AdaptedClassifier.create(base, LABELS, LORA, 3)) {
                assertThat(model.layers()).hasSize(12);
                assertThat(hidden(base, batch, manager)).containsExactly(before);
            }
            assertThat(hidden(base, batch, manager)).as("closing removes the adapters").containsExactly(before);
        }
    }

    @Test
    void gradientsReachOnlyTheAdapterFactorsAndTheHead() {
        PretrainedModel base = BundledModel.encoder();
        try (NDManager manager = base.manager().newSubManager();
             AdaptedClassifier model = AdaptedClassifier.create(base, LABELS, LORA, 3)) {
            randomizeB(model, 1);
            Map<String, float[]> frozenBefore = snapshot(base);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray logits = model.logits(batch(base, manager), true);
                collector.backward(logits.get(":, 1").sum());
            }
            model.trainableParameters().forEach((name, array) -> {
                NDArray gradient = array.getGradient();
                gradient.attach(manager);
                assertThat(gradient.abs().sum().getFloat()).as("gradient of " + name).isGreaterThan(0f);
            });
            base.backbone().namedParameters().forEach((name, parameter) ->
                    assertThat(parameter.getArray().hasGradient()).as(name + " is frozen").isFalse());
            assertThat(snapshot(base)).containsExactlyEntriesOf(frozenBefore);
        }
    }

    @Test
    void peftExportThenImportReproducesTheOutputs() throws IOException {
        PretrainedModel base = BundledModel.encoder();
        Path dir = tmp.resolve("adapter");
        float[] expected;
        try (NDManager manager = base.manager().newSubManager()) {
            try (AdaptedClassifier model = AdaptedClassifier.create(base, LABELS, LORA, 9)) {
                randomizeB(model, 2);
                expected = model.logits(batch(base, manager), false).toFloatArray();
                PeftAdapterFiles.write(model, "models/all-minilm-l6-v2/", dir);
            }
            String config = Files.readString(dir.resolve(PeftAdapterFiles.CONFIG));
            assertThat(config).contains("\"peft_type\" : \"LORA\"", "\"modules_to_save\" : [ \"classifier\" ]");
            try (AdaptedClassifier restored = PeftAdapterFiles.read(dir, base, LABELS)) {
                assertThat(restored.method()).isEqualTo(LORA);
                assertThat(restored.logits(batch(base, manager), false).toFloatArray()).containsExactly(expected);
            }
        }
    }

    @Test
    void mergedAndUnmergedForwardsAgreeAndUnmergeRestoresTheWeightsExactly() {
        PretrainedModel base = BundledModel.encoder();
        Map<String, float[]> frozenBefore = snapshot(base);
        try (NDManager manager = base.manager().newSubManager();
             AdaptedClassifier model = AdaptedClassifier.create(base, LABELS, LORA, 4)) {
            randomizeB(model, 3);
            float[] unmerged = model.logits(batch(base, manager), false).toFloatArray();
            model.merge();
            assertThat(base.backbone().linearLayers().values()).allMatch(linear -> linear.adapter() == null);
            assertThat(snapshot(base)).isNotEqualTo(frozenBefore);
            float[] merged = model.logits(batch(base, manager), false).toFloatArray();
            for (int i = 0; i < merged.length; i++) {
                assertThat(merged[i]).as("logit %d", i).isCloseTo(unmerged[i], org.assertj.core.data.Offset.offset(3e-5f));
            }
            model.unmerge();
            assertThat(snapshot(base)).containsExactlyEntriesOf(frozenBefore);
            assertThat(model.logits(batch(base, manager), false).toFloatArray()).containsExactly(unmerged);
        }
    }

    @Test
    void corruptAdaptersAreRejectedWithAClearError() throws IOException {
        PretrainedModel base = BundledModel.encoder();
        Path good = tmp.resolve("good");
        try (AdaptedClassifier model = AdaptedClassifier.create(base, LABELS, LORA, 9)) {
            PeftAdapterFiles.write(model, "models/all-minilm-l6-v2/", good);
        }
        Map<String, Tensor> tensors = SafetensorsFile.read(good.resolve(PeftAdapterFiles.WEIGHTS));
        String aKey = "base_model.model.encoder.layer.0.attention.self.query.lora_A.weight";

        assertRejected(good, withTensor(tensors, "base_model.model.encoder.layer.0.attention.self.key.lora_A.weight",
                tensors.get(aKey)), "match no targeted layer");
        assertRejected(good, withTensor(tensors, aKey, Tensor.ofFloats(aKey, new long[] {4, 384}, new float[4 * 384])),
                "has shape");
        float[] nan = tensors.get(aKey).toFloats();
        nan[17] = Float.NaN;
        assertRejected(good, withTensor(tensors, aKey, Tensor.ofFloats(aKey, tensors.get(aKey).shape(), nan)),
                "non-finite value at index 17");
        Map<String, Tensor> headless = new LinkedHashMap<>(tensors);
        headless.remove("base_model.model.classifier.weight");
        assertRejected(good, headless, "no tensor classifier.weight");

        Path truncated = copy(good, "truncated");
        byte[] bytes = Files.readAllBytes(truncated.resolve(PeftAdapterFiles.WEIGHTS));
        Files.write(truncated.resolve(PeftAdapterFiles.WEIGHTS), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> PeftAdapterFiles.read(truncated, base, LABELS)).isInstanceOf(IOException.class);

        Path wrongType = copy(good, "wrong-type");
        Files.writeString(wrongType.resolve(PeftAdapterFiles.CONFIG), "{\"peft_type\": \"IA3\"}");
        assertThatThrownBy(() -> PeftAdapterFiles.read(wrongType, base, LABELS)).isInstanceOf(IOException.class)
                .hasMessageContaining("peft_type must be LORA, got 'IA3'");
        assertThat(base.backbone().linearLayers().values()).allMatch(linear -> linear.adapter() == null);
    }

    private void assertRejected(Path good, Map<String, Tensor> tensors, String message) throws IOException {
        Path dir = copy(good, "case-" + message.hashCode());
        SafetensorsFile.write(dir.resolve(PeftAdapterFiles.WEIGHTS), new ArrayList<>(tensors.values()), Map.of());
        assertThatThrownBy(() -> PeftAdapterFiles.read(dir, BundledModel.encoder(), LABELS))
                .isInstanceOf(IOException.class).hasMessageContaining(message);
        assertThat(BundledModel.encoder().backbone().linearLayers().values())
                .as("a rejected adapter leaves no layer adapted").allMatch(linear -> linear.adapter() == null);
    }

    private static Map<String, Tensor> withTensor(Map<String, Tensor> tensors, String key, Tensor tensor) {
        Map<String, Tensor> copy = new LinkedHashMap<>(tensors);
        copy.put(key, new Tensor(key, tensor.dtype(), tensor.shape(), tensor.data()));
        return copy;
    }

    private Path copy(Path from, String name) throws IOException {
        Path to = Files.createDirectories(tmp.resolve(name));
        for (String file : List.of(PeftAdapterFiles.CONFIG, PeftAdapterFiles.WEIGHTS)) {
            Files.copy(from.resolve(file), to.resolve(file));
        }
        return to;
    }

    private static NDList batch(PretrainedModel base, NDManager manager) {
        return TextTokenizer.collate(base.tokenizer().encode(TEXTS), manager, 64);
    }

    private static float[] hidden(PretrainedModel base, NDList batch, NDManager manager) {
        return base.backbone().forward(new ParameterStore(manager, false), batch.get(0), batch.get(1), batch.get(2),
                false).toFloatArray();
    }

    /** B = 0 at init would make the adapter a no-op; random B makes the round trip and gradient checks meaningful. */
    private static void randomizeB(AdaptedClassifier model, long seed) {
        Random random = new Random(seed);
        model.trainableParameters().forEach((name, array) -> {
            if (name.endsWith("lora_B.weight")) {
                float[] values = new float[(int) array.size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) (random.nextGaussian() * 0.05);
                }
                array.set(values);
            }
        });
    }

    private static Map<String, float[]> snapshot(PretrainedModel base) {
        Map<String, float[]> values = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : base.backbone().namedParameters().entrySet()) {
            if (e.getKey().contains("layer.0.") || e.getKey().startsWith("embeddings.")) {
                values.put(e.getKey(), e.getValue().getArray().toFloatArray());
            }
        }
        return values;
    }
}
