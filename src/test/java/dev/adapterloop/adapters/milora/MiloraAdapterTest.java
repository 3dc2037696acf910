package dev.adapterloop.adapters.milora;

import static dev.adapterloop.adapters.milora.MiloraTesting.maxAbsDiff;
import static dev.adapterloop.adapters.milora.MiloraTesting.perturb;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.adapterloop.adapters.AdaptedClassifier;
import dev.adapterloop.adapters.AdapterLayer;
import dev.adapterloop.model.PretrainedModel;
import dev.adapterloop.model.TextTokenizer;
import dev.adapterloop.testing.BundledModel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * MiLoRA and PiSSA installed on query, value and FFN layers of the bundled MiniLM (properties 1, 4, 5). Targets are
 * limited to encoder layers 0 and 5 (or 0) to keep the SVD initialisation cost of the class under ~15 s.
 */
class MiloraAdapterTest {

    private static final List<String> LABELS = List.of("ham", "spam");
    private static final List<String> TEXTS = List.of("Win a free prize now!!!", "Meeting moved to 3pm, see you",
            "cheap meds online", "Re: the build is green again");

    private static float[] baseHidden;

    static Stream<Arguments> configs() {
        return Stream.of(Arguments.of(Components.MINOR, 16.0), Arguments.of(Components.PRINCIPAL, 16.0),
                Arguments.of(Components.MINOR, 8.0), Arguments.of(Components.PRINCIPAL, 8.0));
    }

    static Stream<Arguments> methods() {
        return Stream.of(Arguments.of(Components.MINOR), Arguments.of(Components.PRINCIPAL));
    }

    @ParameterizedTest(name = "{0}, alpha={1}")
    @MethodSource("configs")
    void atInitTheAdaptedEncoderReproducesTheBaseModel(Components components, double alpha) {
        PretrainedModel base = BundledModel.encoder();
        MiloraConfig config = MiloraTesting.config(components, alpha, MiloraTesting.FIRST_AND_LAST);
        try (NDManager manager = base.manager().newSubManager()) {
            NDList batch = batch(base, manager);
            float[] before = baseHidden(base);
            long start = System.nanoTime();
            try (AdaptedClassifier model = AdaptedClassifier.create(base, LABELS, config, 3)) {
                long createMillis = (System.nanoTime() - start) / 1_000_000;
                assertThat(model.layers()).hasSize(6);
                assertThat(model.method().name()).isEqualTo(components == Components.MINOR ? "milora" : "pissa");
                double diff = maxAbsDiff(hidden(base, batch, manager), before);
                System.out.printf("%s alpha=%.0f: 6 layers initialised in %d ms; init max |hidden − base| = %.2e%n",
                        config.name(), alpha, createMillis, diff);
                assertThat(diff).isLessThanOrEqualTo(3e-5);
            }
            assertThat(hidden(base, batch, manager)).as("closing removes the adapters").containsExactly(before);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("methods")
    void mergedAndUnmergedForwardsAgreeAndUnmergeRestoresTheWeightsExactly(Components components) {
        PretrainedModel base = BundledModel.encoder();
        Map<String, float[]> frozenBefore = snapshot(base);
        try (NDManager manager = base.manager().newSubManager();
             AdaptedClassifier model = AdaptedClassifier.create(base, LABELS, MiloraTesting.config(components, 16,
                     MiloraTesting.FIRST),
                     4)) {
            perturbFactors(model, 5);
            float[] unmerged = model.logits(batch(base, manager), false).toFloatArray();
            model.merge();
            assertThat(base.backbone().linearLayers().values()).allMatch(linear -> linear.adapter() == null);
            assertThat(snapshot(base)).isNotEqualTo(frozenBefore);
            float[] merged = model.logits(batch(base, manager), false).toFloatArray();
            double diff = maxAbsDiff(merged, unmerged);
            System.out.printf("%s: max |merged − unmerged logits| = %.2e%n", components, diff);
            assertThat(diff).isLessThanOrEqualTo(3e-5);
            model.unmerge();
            assertThat(snapshot(base)).containsExactlyEntriesOf(frozenBefore);
            assertThat(model.logits(batch(base, manager), false).toFloatArray()).containsExactly(unmerged);
        }
        assertThat(snapshot(base)).as("closing leaves W0 as it was").containsExactlyEntriesOf(frozenBefore);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("methods")
    void gradientsReachOnlyTheAdapterFactorsAndTheHead(Components components) {
        PretrainedModel base = BundledModel.encoder();
        Map<String, float[]> frozenBefore = snapshot(base);
        try (NDManager manager = base.manager().newSubManager();
             AdaptedClassifier model = AdaptedClassifier.create(base, LABELS, MiloraTesting.config(components, 16,
                     MiloraTesting.FIRST),
                     6)) {
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray logits = model.logits(batch(base, manager), true);
                collector.backward(logits.get(":, 1").sum());
            }
            model.trainableParameters().forEach((name, array) -> {
                NDArray gradient = array.getGradient();
                gradient.attach(manager);
                assertThat(gradient.abs().sum().getFloat()).as("gradient of " + name).isGreaterThan(0f);
            });
            assertThat(model.trainableParameters()).hasSize(2 * 3 + 2);
            for (AdapterLayer layer : model.layers().values()) {
                assertThat(((MiloraLayer) layer).residual().hasGradient()).as("W_res is frozen").isFalse();
            }
            base.backbone().namedParameters().forEach((name, parameter) ->
                    assertThat(parameter.getArray().hasGradient()).as(name + " is frozen").isFalse());
            assertThat(snapshot(base)).containsExactlyEntriesOf(frozenBefore);
        }
    }

    /** The base model's hidden states for {@link #TEXTS}, computed once per class (the forward is the slow part). */
    private static synchronized float[] baseHidden(PretrainedModel base) {
        if (baseHidden == null) {
            try (NDManager manager = base.manager().newSubManager()) {
                baseHidden = hidden(base, batch(base, manager), manager);
            }
        }
        return baseHidden;
    }

    private static NDList batch(PretrainedModel base, NDManager manager) {
        return TextTokenizer.collate(base.tokenizer().encode(TEXTS), manager, 64);
    }

    private static float[] hidden(PretrainedModel base, NDList batch, NDManager manager) {
        return base.backbone().forward(new ParameterStore(manager, false), batch.get(0), batch.get(1), batch.get(2),
                false).toFloatArray();
    }

    private static void perturbFactors(AdaptedClassifier model, long seed) {
        Random random = new Random(seed);
        model.layers().values().forEach(layer -> layer.factors().values().forEach(f -> perturb(f, random, 0.02)));
    }

    /** Weights and biases of layer 0 (all three targets) and the embeddings. */
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
