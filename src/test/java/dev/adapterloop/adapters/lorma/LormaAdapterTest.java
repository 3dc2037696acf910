package dev.adapterloop.adapters.lorma;

import static dev.adapterloop.adapters.lorma.LormaFixtures.LABELS;
import static dev.adapterloop.adapters.lorma.LormaFixtures.TOLERANCE;
import static dev.adapterloop.adapters.lorma.LormaFixtures.config;
import static dev.adapterloop.adapters.lorma.LormaFixtures.maxAbsDiff;
import static dev.adapterloop.adapters.lorma.LormaFixtures.perturb;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.adapterloop.adapters.AdaptedClassifier;
import dev.adapterloop.adapters.lorma.LormaConfig.Variant;
import dev.adapterloop.model.PretrainedModel;
import dev.adapterloop.model.TextTokenizer;
import dev.adapterloop.testing.BundledModel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * LoRMA₊ and LoRMA_π installed on the real query, value and FFN layers of the bundled MiniLM: properties 1, 4 and 5 of
 * docs/methods.md (init, merge and unmerge, gradients). Properties 3 and 6 are in {@link LormaWeightChangeTest}.
 */
class LormaAdapterTest {

    private static final List<String> TEXTS = List.of("Win a free prize now!!!", "Meeting moved to 3pm, see you",
            "cheap meds online", "Re: the build is green again");

    @ParameterizedTest
    @EnumSource(Variant.class)
    void atInitTheAdaptedEncoderReproducesTheBaseModel(Variant variant) {
        PretrainedModel base = BundledModel.encoder();
        try (NDManager manager = base.manager().newSubManager()) {
            NDList batch = batch(base, manager);
            float[] before = hidden(base, batch, manager);
            try (AdaptedClassifier model = AdaptedClassifier.create(base, LABELS, config(variant), 3)) {
                assertThat(model.layers()).hasSize(18);
                assertThat(model.method().name()).isEqualTo(variant.methodName());
                float diff = maxAbsDiff(hidden(base, batch, manager), before);
                System.out.printf("LoRMA %s at init: max |h - h_base| = %.3g%n", variant, diff);
                assertThat(diff).isLessThanOrEqualTo(TOLERANCE);
            }
            assertThat(hidden(base, batch, manager)).as("closing removes the adapters").containsExactly(before);
        }
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void mergedAndUnmergedForwardsAgreeAndUnmergeRestoresTheWeightsExactly(Variant variant) {
        PretrainedModel base = BundledModel.encoder();
        Map<String, float[]> frozenBefore = snapshot(base);
        try (NDManager manager = base.manager().newSubManager();
             AdaptedClassifier model = AdaptedClassifier.create(base, LABELS, config(variant), 4)) {
            perturb(model, variant, 3);
            float[] unmerged = model.logits(batch(base, manager), false).toFloatArray();
            model.merge();
            assertThat(base.backbone().linearLayers().values()).allMatch(linear -> linear.adapter() == null);
            assertThat(snapshot(base)).isNotEqualTo(frozenBefore);
            float[] merged = model.logits(batch(base, manager), false).toFloatArray();
            float diff = maxAbsDiff(merged, unmerged);
            System.out.printf("LoRMA %s merged vs unmerged logits: %.3g%n", variant, diff);
            assertThat(diff).isLessThanOrEqualTo(TOLERANCE);
            model.unmerge();
            assertThat(snapshot(base)).containsExactlyEntriesOf(frozenBefore);
            assertThat(model.logits(batch(base, manager), false).toFloatArray()).containsExactly(unmerged);
        }
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void gradientsReachOnlyTheFactorsAndTheHeadAndAnUpdateLeavesTheBaseUnchanged(Variant variant) {
        PretrainedModel base = BundledModel.encoder();
        try (NDManager manager = base.manager().newSubManager();
             AdaptedClassifier model = AdaptedClassifier.create(base, LABELS, config(variant), 6)) {
            perturb(model, variant, 4);
            Map<String, float[]> frozenBefore = snapshot(base);
            float[] logitsBefore = model.logits(batch(base, manager), false).toFloatArray();
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray logits = model.logits(batch(base, manager), true);
                collector.backward(logits.get(":, 1").sum());
            }
            model.trainableParameters().forEach((name, array) -> {
                NDArray gradient = array.getGradient();
                gradient.attach(manager);
                assertThat(gradient.abs().sum().getFloat()).as("gradient of " + name).isGreaterThan(0f);
                // One SGD step, written through the array so the parameter keeps its identity.
                float[] values = array.toFloatArray();
                float[] grad = gradient.toFloatArray();
                for (int i = 0; i < values.length; i++) {
                    values[i] -= 0.1f * grad[i];
                }
                array.set(values);
            });
            base.backbone().namedParameters().forEach((name, parameter) ->
                    assertThat(parameter.getArray().hasGradient()).as(name + " is frozen").isFalse());
            assertThat(snapshot(base)).containsExactlyEntriesOf(frozenBefore);
            assertThat(model.logits(batch(base, manager), false).toFloatArray())
                    .as("the update changed the adapted model").isNotEqualTo(logitsBefore);
        }
    }

    private static NDList batch(PretrainedModel base, NDManager manager) {
        return TextTokenizer.collate(base.tokenizer().encode(TEXTS), manager, 64);
    }

    private static float[] hidden(PretrainedModel base, NDList batch, NDManager manager) {
        return base.backbone().forward(new ParameterStore(manager, false), batch.get(0), batch.get(1), batch.get(2),
                false).toFloatArray();
    }

    private static Map<String, float[]> snapshot(PretrainedModel base) {
        Map<String, float[]> values = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : base.backbone().namedParameters().entrySet()) {
            if (e.getKey().contains("layer.0.") || e.getKey().contains("layer.5.intermediate")
                    || e.getKey().startsWith("embeddings.")) {
                values.put(e.getKey(), e.getValue().getArray().toFloatArray());
            }
        }
        return values;
    }
}
