package dev.adapterloop.adapters.dora;

import static dev.adapterloop.adapters.FiniteDifferenceCheck.gaussian;
import static dev.adapterloop.adapters.StoredAdapterFixtures.batch;
import static dev.adapterloop.adapters.StoredAdapterFixtures.maxAbsDiff;
import static dev.adapterloop.adapters.StoredAdapterFixtures.perturb;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterloop.adapters.AdaptedClassifier;
import dev.adapterloop.adapters.AdapterMethods;
import dev.adapterloop.adapters.PeftAdapterFiles;
import dev.adapterloop.adapters.SharedHyperparameters;
import dev.adapterloop.adapters.TargetModules;
import dev.adapterloop.adapters.lora.LoraLayer;
import dev.adapterloop.model.PretrainedModel;
import dev.adapterloop.model.safetensors.SafetensorsFile;
import dev.adapterloop.model.safetensors.Tensor;
import dev.adapterloop.testing.BundledModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DoRA (docs/methods.md) on the real layers of the bundled MiniLM and on a small float64 layer: the same properties
 * as the other methods — identity at init, gradients against an independent implementation, merge and unmerge, PEFT
 * export with {@code use_dora} — through the registry, as any user of the method reaches it.
 */
class DoraAdapterTest {

    private static final TargetModules QUERY_VALUE = TargetModules.of("query", "value");
    private static final DoraConfig DORA = new DoraConfig(8, 16, 0.0, QUERY_VALUE, false);
    private static final List<String> LABELS = List.of("ham", "spam");

    @TempDir
    Path tmp;

    @Test
    void theRegistryBuildsDoraFromItsNameAndOptions() {
        assertThat(AdapterMethods.names()).contains("dora");
        assertThat(AdapterMethods.create("dora", new SharedHyperparameters(8, 16, 0.0, QUERY_VALUE))).isEqualTo(DORA);
        assertThat(AdapterMethods.create("dora", new SharedHyperparameters(8, 16, 0.0, QUERY_VALUE),
                Map.of("use-rslora", "true"))).isEqualTo(new DoraConfig(8, 16, 0.0, QUERY_VALUE, true));
    }

    @Test
    void atInitTheAdaptedEncoderReproducesTheBaseModelExactly() {
        PretrainedModel base = BundledModel.encoder();
        try (NDManager manager = base.manager().newSubManager()) {
            NDList batch = batch(base, manager);
            float[] before = hidden(base, batch, manager, false);
            try (AdaptedClassifier model = AdaptedClassifier.create(base, LABELS,
                    new DoraConfig(8, 16, 0.3, QUERY_VALUE, false), 3)) {
                assertThat(model.layers()).hasSize(12);
                assertThat(hidden(base, batch, manager, false)).containsExactly(before);
            }
            assertThat(hidden(base, batch, manager, false)).as("closing removes the adapters")
                    .containsExactly(before);
        }
    }

    /** Dropout acts on the adapter path only: at init (B = 0, m = ‖W0‖) a training step's layer is the base layer. */
    @Test
    void atInitATrainingForwardWithDropoutIsTheBaseLayer() {
        Random random = new Random(5);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray w0 = manager.create(floats(random, 24 * 16), new Shape(24, 16));
            NDArray bias = manager.create(floats(random, 24));
            NDArray x = manager.create(floats(random, 7 * 16), new Shape(7, 16));
            DoraLayer layer = DoraLayer.initialize(w0, manager, new DoraConfig(4, 8, 0.5, TargetModules.of("q"),
                    false), random);
            float[] expected = x.matMul(w0.transpose()).add(bias).toFloatArray();
            float[] actual = layer.forward(x, w0, bias, true).toFloatArray();
            assertThat(maxAbsDiff(actual, expected)).isLessThanOrEqualTo(1e-5);
            assertThat(actual).as("exactly the base layer's own product")
                    .containsExactly(ai.djl.nn.core.Linear.linear(x, w0, bias).singletonOrThrow().toFloatArray());
        }
    }

    /**
     * Autograd's gradients of A, B and m in float64 against central differences of an independent implementation
     * in plain Java: {@code h = m/‖V0‖ ⊙ (W0 + s·B·A)·x + b} with the norm held at its value for the unperturbed
     * factors, which is what "the norm is a constant for autograd" means. The layer's output is checked against the
     * same formula first.
     */
    @Test
    void gradientsMatchCentralDifferencesWithTheNormHeldConstant() {
        int batch = 3;
        int dIn = 6;
        int dOut = 5;
        int rank = 2;
        double alpha = 3;
        Random random = new Random(17);
        double[] x = gaussian(random, batch * dIn);
        double[] w0 = gaussian(random, dOut * dIn);
        double[] bias = gaussian(random, dOut);
        double[] g = gaussian(random, batch * dOut);
        double[] a = gaussian(random, rank * dIn);
        double[] b = gaussian(random, dOut * rank);
        double[] m = gaussian(random, dOut);
        Reference reference = new Reference(x, w0, bias, g, batch, dIn, dOut, rank, alpha / rank);
        double[] norm = reference.directionNorms(a, b);

        try (NDManager manager = NDManager.newBaseManager()) {
            DoraConfig config = new DoraConfig(rank, alpha, 0, TargetModules.of("q"), false);
            DoraLayer layer = DoraLayer.of(manager.create(a, new Shape(rank, dIn)),
                    manager.create(b, new Shape(dOut, rank)), manager.create(m, new Shape(dOut)), config);
            NDArray loss;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray h = layer.forward(manager.create(x, new Shape(batch, dIn)),
                        manager.create(w0, new Shape(dOut, dIn)), manager.create(bias), true);
                loss = h.mul(manager.create(g, new Shape(batch, dOut))).sum();
                collector.backward(loss);
            }
            assertThat(loss.getDouble()).isCloseTo(reference.loss(a, b, m, norm), Offset.offset(1e-10));

            double worst = 0;
            worst = Math.max(worst, worstError(layer.factors().get(LoraLayer.A_KEY).getGradient().toDoubleArray(),
                    a, perturbed -> reference.loss(perturbed, b, m, norm)));
            worst = Math.max(worst, worstError(layer.factors().get(LoraLayer.B_KEY).getGradient().toDoubleArray(),
                    b, perturbed -> reference.loss(a, perturbed, m, norm)));
            worst = Math.max(worst, worstError(layer.magnitude().getGradient().toDoubleArray(),
                    m, perturbed -> reference.loss(a, b, perturbed, norm)));
            System.out.printf("dora float64 gradient check (A, B, m): worst relative error %.3g%n", worst);
            assertThat(worst).isLessThan(1e-6);
        }
    }

    @Test
    void mergedAndUnmergedForwardsAgreeAndUnmergeRestoresTheWeightsExactly() {
        PretrainedModel base = BundledModel.encoder();
        Map<String, float[]> frozenBefore = snapshot(base);
        try (NDManager manager = base.manager().newSubManager();
             AdaptedClassifier model = AdaptedClassifier.create(base, LABELS, DORA, 4)) {
            perturb(model, 3);
            float[] unmerged = model.logits(batch(base, manager), false).toFloatArray();
            model.merge();
            assertThat(base.backbone().linearLayers().values()).allMatch(linear -> linear.adapter() == null);
            assertThat(snapshot(base)).isNotEqualTo(frozenBefore);
            float[] merged = model.logits(batch(base, manager), false).toFloatArray();
            assertThat(maxAbsDiff(merged, unmerged)).isLessThanOrEqualTo(3e-5);
            model.unmerge();
            assertThat(snapshot(base)).containsExactlyEntriesOf(frozenBefore);
            assertThat(model.logits(batch(base, manager), false).toFloatArray()).containsExactly(unmerged);
        }
    }

    /**
     * PEFT's own DoRA form: {@code use_dora: true}, the factors and {@code lora_magnitude_vector} (PEFT's file key,
     * without {@code .weight}); read back, through the registry, as DoRA with the same outputs. The spelling with
     * {@code .weight} that other tools write reads the same.
     */
    @Test
    void peftExportWithUseDoraReadsBackAsDoraWithTheSameOutputs() throws IOException {
        PretrainedModel base = BundledModel.encoder();
        Path dir = tmp.resolve("peft");
        float[] expected;
        try (NDManager manager = base.manager().newSubManager()) {
            try (AdaptedClassifier model = AdaptedClassifier.create(base, LABELS, DORA, 9)) {
                perturb(model, 2);
                expected = model.logits(batch(base, manager), false).toFloatArray();
                PeftAdapterFiles.write(model, "models/all-minilm-l6-v2/", dir);
            }
            JsonNode config = new ObjectMapper().readTree(dir.resolve(PeftAdapterFiles.CONFIG).toFile());
            assertThat(config.get("peft_type").asText()).isEqualTo("LORA");
            assertThat(config.get("use_dora").asBoolean()).isTrue();
            assertThat(config.get("r").asInt()).isEqualTo(8);
            assertThat(config.get("lora_alpha").asDouble()).isEqualTo(16.0);
            Map<String, Tensor> tensors = SafetensorsFile.read(dir.resolve(PeftAdapterFiles.WEIGHTS));
            String layer = "base_model.model.encoder.layer.0.attention.self.query.";
            assertThat(tensors).containsKeys(layer + "lora_A.weight", layer + "lora_B.weight",
                    layer + "lora_magnitude_vector").hasSize(12 * 3 + 2);
            assertThat(tensors.get(layer + "lora_magnitude_vector").shape()).containsExactly(384);

            try (AdaptedClassifier restored = PeftAdapterFiles.read(dir, base, LABELS)) {
                assertThat(restored.method()).isEqualTo(DORA);
                assertThat(restored.logits(batch(base, manager), false).toFloatArray()).containsExactly(expected);
            }

            Map<String, Tensor> renamed = new LinkedHashMap<>();
            tensors.forEach((key, tensor) -> {
                String name = key.endsWith(".lora_magnitude_vector") ? key + ".weight" : key;
                renamed.put(name, new Tensor(name, tensor.dtype(), tensor.shape(), tensor.data()));
            });
            SafetensorsFile.write(dir.resolve(PeftAdapterFiles.WEIGHTS), List.copyOf(renamed.values()),
                    Map.of("format", "pt"));
            try (AdaptedClassifier restored = PeftAdapterFiles.read(dir, base, LABELS)) {
                assertThat(restored.logits(batch(base, manager), false).toFloatArray()).containsExactly(expected);
            }
        }
        assertThat(Files.exists(dir)).isTrue();
    }

    /** {@code W0·x + b} and DoRA's closed form in plain double arithmetic, for the gradient check. */
    private record Reference(double[] x, double[] w0, double[] bias, double[] g, int batch, int dIn, int dOut,
                             int rank, double scaling) {

        /** V = W0 + s·B·A, row-major (dOut, dIn). */
        double[] direction(double[] a, double[] b) {
            double[] v = w0.clone();
            for (int o = 0; o < dOut; o++) {
                for (int i = 0; i < dIn; i++) {
                    double sum = 0;
                    for (int k = 0; k < rank; k++) {
                        sum += b[o * rank + k] * a[k * dIn + i];
                    }
                    v[o * dIn + i] += scaling * sum;
                }
            }
            return v;
        }

        double[] directionNorms(double[] a, double[] b) {
            double[] v = direction(a, b);
            double[] norms = new double[dOut];
            for (int o = 0; o < dOut; o++) {
                double sum = 0;
                for (int i = 0; i < dIn; i++) {
                    sum += v[o * dIn + i] * v[o * dIn + i];
                }
                norms[o] = Math.sqrt(sum);
            }
            return norms;
        }

        /** sum(g ⊙ h) with h = m/norm ⊙ (V·x) + b, the norm given. */
        double loss(double[] a, double[] b, double[] m, double[] norm) {
            double[] v = direction(a, b);
            double loss = 0;
            for (int n = 0; n < batch; n++) {
                for (int o = 0; o < dOut; o++) {
                    double vx = 0;
                    for (int i = 0; i < dIn; i++) {
                        vx += v[o * dIn + i] * x[n * dIn + i];
                    }
                    loss += g[n * dOut + o] * (m[o] / norm[o] * vx + bias[o]);
                }
            }
            return loss;
        }
    }

    private static double worstError(double[] analytic, double[] at,
                                     java.util.function.ToDoubleFunction<double[]> loss) {
        double eps = 1e-6;
        double worst = 0;
        for (int i = 0; i < at.length; i++) {
            double[] plus = at.clone();
            double[] minus = at.clone();
            plus[i] += eps;
            minus[i] -= eps;
            double numeric = (loss.applyAsDouble(plus) - loss.applyAsDouble(minus)) / (2 * eps);
            worst = Math.max(worst, Math.abs(analytic[i] - numeric)
                    / Math.max(1e-8, Math.max(Math.abs(analytic[i]), Math.abs(numeric))));
        }
        return worst;
    }

    private static float[] floats(Random random, int size) {
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }

    private static float[] hidden(PretrainedModel base, NDList batch, NDManager manager, boolean training) {
        return base.backbone().forward(new ParameterStore(manager, false), batch.get(0), batch.get(1), batch.get(2),
                training).toFloatArray();
    }

    private static Map<String, float[]> snapshot(PretrainedModel base) {
        Map<String, float[]> values = new LinkedHashMap<>();
        base.backbone().linearLayers().forEach((path, linear) -> values.put(path,
                linear.weight().getArray().toFloatArray()));
        return values;
    }

}
