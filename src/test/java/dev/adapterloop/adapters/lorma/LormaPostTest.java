package dev.adapterloop.adapters.lorma;

import static dev.adapterloop.adapters.lorma.LormaFixtures.ALPHA;
import static dev.adapterloop.adapters.lorma.LormaFixtures.LABELS;
import static dev.adapterloop.adapters.lorma.LormaFixtures.RANK;
import static dev.adapterloop.adapters.lorma.LormaFixtures.TARGETS;
import static dev.adapterloop.adapters.lorma.LormaFixtures.TOLERANCE;
import static dev.adapterloop.adapters.lorma.LormaFixtures.maxAbsDiff;
import static dev.adapterloop.adapters.lorma.LormaFixtures.perturb;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.adapterloop.adapters.AdaptedClassifier;
import dev.adapterloop.adapters.AdapterLayer;
import dev.adapterloop.adapters.AdapterMethod;
import dev.adapterloop.adapters.AdapterMethods;
import dev.adapterloop.adapters.FiniteDifferenceCheck;
import dev.adapterloop.adapters.LoraFactors;
import dev.adapterloop.adapters.PeftAdapterFiles;
import dev.adapterloop.adapters.SharedHyperparameters;
import dev.adapterloop.adapters.TargetModules;
import dev.adapterloop.adapters.lora.LoraConfig;
import dev.adapterloop.adapters.lora.LoraLayer;
import dev.adapterloop.adapters.lorma.LormaConfig.Placement;
import dev.adapterloop.adapters.lorma.LormaConfig.Variant;
import dev.adapterloop.model.AdaptableLinear;
import dev.adapterloop.model.PretrainedModel;
import dev.adapterloop.model.TextTokenizer;
import dev.adapterloop.testing.BundledModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.ejml.simple.SimpleMatrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * LoRMA with "post" placement, {@code W = W0·M} with M acting on the input (factors in d_in), on the real query, value
 * and FFN layers of the bundled MiniLM (d_in = 384 everywhere, d_out up to 1536): init, the efficient forward against
 * the naive product, merging, the exact LoRA form of LoRMA₊ and its PEFT round trip, the rank of the weight change,
 * and a float64 gradient check on a tiny non-square layer.
 */
class LormaPostTest {

    private static final List<String> TEXTS = List.of("Win a free prize now!!!", "Meeting moved to 3pm, see you",
            "cheap meds online", "Re: the build is green again");

    @TempDir
    Path tmp;

    static LormaConfig post(Variant variant) {
        return new LormaConfig(variant, RANK, ALPHA, 0.0, TARGETS, Placement.POST);
    }

    @Test
    void placementIsParsedDefaultsToPreAndOnlyLormaTakesPost() {
        assertThat(new LormaConfig(Variant.PLUS, 8, 16, 0, TARGETS).placement()).isEqualTo(Placement.PRE);
        assertThat(Placement.parse("post")).isEqualTo(Placement.POST);
        assertThat(Placement.parse(" PRE ")).isEqualTo(Placement.PRE);
        assertThatThrownBy(() -> Placement.parse("middle")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("placement must be one of [pre, post], got 'middle'");
        assertThatThrownBy(() -> new LormaConfig(Variant.PI, 8, 16, 0, TARGETS, null))
                .hasMessageContaining("placement");

        AdapterMethod viaRegistry = AdapterMethods.create("lorma-pi", new SharedHyperparameters(8, 16, 0, TARGETS),
                Map.of("placement", "post"));
        assertThat(viaRegistry).isEqualTo(post(Variant.PI));
        assertThat(AdapterMethods.create("lorma-plus", new SharedHyperparameters(8, 16, 0, TARGETS)))
                .isEqualTo(new LormaConfig(Variant.PLUS, 8, 16, 0, TARGETS));
        assertThatThrownBy(() -> AdapterMethods.create("lorma-plus", new SharedHyperparameters(8, 16, 0, TARGETS),
                Map.of("placement", "middle"))).hasMessage("placement must be one of [pre, post], got 'middle'");
        assertThatThrownBy(() -> AdapterMethods.create("milora", new SharedHyperparameters(8, 16, 0, TARGETS),
                Map.of("placement", "post")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'placement' is not an option of method 'milora' (its options: [use-rslora])");

        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray wide = manager.zeros(new Shape(16, 4));
            assertThatThrownBy(() -> new LormaConfig(Variant.PLUS, 8, 16, 0, TARGETS, Placement.POST)
                    .initialize(wide, manager, new Random(1)))
                    .hasMessage("rank must be <= d_in (4) for LoRMA with post placement, got 8");
            AdapterLayer pre = new LormaConfig(Variant.PLUS, 8, 16, 0, TARGETS).initialize(wide, manager,
                    new Random(1));
            assertThat(pre.factors().get(LormaPlusLayer.A_KEY).getShape()).isEqualTo(new Shape(8, 16));
        }
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void atInitTheAdaptedEncoderReproducesTheBaseModel(Variant variant) {
        PretrainedModel base = BundledModel.encoder();
        try (NDManager manager = base.manager().newSubManager()) {
            NDList batch = batch(base, manager);
            float[] before = hidden(base, batch, manager);
            try (AdaptedClassifier model = AdaptedClassifier.create(base, LABELS, post(variant), 3)) {
                assertThat(model.layers()).hasSize(18);
                model.layers().forEach((path, layer) -> assertThat(layer.factors().get(LormaPlusLayer.A_KEY)
                        .getShape()).as(path).isEqualTo(new Shape(RANK, 384)));
                float[] adapted = hidden(base, batch, manager);
                float diff = maxAbsDiff(adapted, before);
                System.out.printf("LoRMA %s post at init: max |h - h_base| = %.3g (bit-exact: %s)%n", variant, diff,
                        Arrays.equals(adapted, before));
                if (variant == Variant.PLUS) {
                    assertThat(Arrays.equals(adapted, before)).as("B = 0 makes LoRMA+ post exact").isTrue();
                } else {
                    assertThat(diff).isLessThanOrEqualTo(TOLERANCE);
                }
            }
        }
    }

    /** Forward (never forming M for LoRMA₊) against {@code x·(W0·M)ᵀ + b0} with M built independently in double. */
    @ParameterizedTest
    @EnumSource(Variant.class)
    void efficientForwardEqualsTheNaiveProduct(Variant variant) {
        PretrainedModel base = BundledModel.encoder();
        try (AdaptedClassifier model = AdaptedClassifier.create(base, LABELS, post(variant), 5)) {
            perturb(model, variant, 1);
            Map<String, AdaptableLinear> linears = base.backbone().linearLayers();
            float worst = 0;
            float worstEffective = 0;
            Random random = new Random(17);
            for (Map.Entry<String, AdapterLayer> entry : model.layers().entrySet()) {
                AdapterLayer layer = entry.getValue();
                AdaptableLinear linear = linears.get(entry.getKey());
                NDArray w0 = linear.weight().getArray();
                NDArray b0 = linear.bias().getArray();
                try (NDManager scope = base.manager().newSubManager()) {
                    float[] input = new float[4 * linear.inFeatures()];
                    for (int i = 0; i < input.length; i++) {
                        input[i] = (float) random.nextGaussian();
                    }
                    NDArray x = scope.create(input, new Shape(4, linear.inFeatures()));
                    float[] efficient = layer.forward(x, w0, b0, false).toFloatArray();

                    NDArray m = scope.create(naiveMultiplier(variant, layer), new Shape(linear.inFeatures(),
                            linear.inFeatures()));
                    NDArray w0Copy = scope.create(w0.toFloatArray(), w0.getShape());
                    NDArray naiveWeight = w0Copy.matMul(m);
                    float[] naive = x.matMul(naiveWeight.transpose()).add(b0).toFloatArray();
                    worst = Math.max(worst, maxAbsDiff(efficient, naive));
                    worstEffective = Math.max(worstEffective,
                            maxAbsDiff(layer.effectiveWeight(w0, scope).toFloatArray(), naiveWeight.toFloatArray()));
                }
            }
            System.out.printf("LoRMA %s post: efficient vs naive forward %.3g, effectiveWeight vs W0·M %.3g%n",
                    variant, worst, worstEffective);
            assertThat(worst).isLessThanOrEqualTo(TOLERANCE);
            assertThat(worstEffective).isLessThanOrEqualTo(TOLERANCE);
        }
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void mergedAndUnmergedForwardsAgreeAndUnmergeRestoresTheWeightsExactly(Variant variant) {
        PretrainedModel base = BundledModel.encoder();
        String probe = "encoder.layer.5.intermediate.dense";
        float[] w0Before = base.backbone().linearLayers().get(probe).weight().getArray().toFloatArray();
        try (NDManager manager = base.manager().newSubManager();
             AdaptedClassifier model = AdaptedClassifier.create(base, LABELS, post(variant), 4)) {
            perturb(model, variant, 3);
            float[] unmerged = model.logits(batch(base, manager), false).toFloatArray();
            model.merge();
            assertThat(base.backbone().linearLayers().values()).allMatch(linear -> linear.adapter() == null);
            float[] merged = model.logits(batch(base, manager), false).toFloatArray();
            float diff = maxAbsDiff(merged, unmerged);
            System.out.printf("LoRMA %s post merged vs unmerged logits: %.3g%n", variant, diff);
            assertThat(diff).isLessThanOrEqualTo(TOLERANCE);
            model.unmerge();
            assertThat(Arrays.equals(base.backbone().linearLayers().get(probe).weight().getArray().toFloatArray(),
                    w0Before)).as("unmerge restores W0 bit for bit").isTrue();
            assertThat(Arrays.equals(model.logits(batch(base, manager), false).toFloatArray(), unmerged)).isTrue();
        }
    }

    /** ΔW = s·(W0·B)·A is exactly a LoRA with B' = W0·B, A' = A; written as PEFT and read back as LoRA. */
    @Test
    void plusPostIsExactlyALoraAndSurvivesAPeftRoundTrip() throws IOException {
        PretrainedModel base = BundledModel.encoder();
        LoraConfig asLora = new LoraConfig(RANK, ALPHA, 0.0, TARGETS, false);
        Path dir = tmp.resolve("lorma-plus-post");
        float[] expected;
        try (NDManager manager = base.manager().newSubManager()) {
            try (AdaptedClassifier model = AdaptedClassifier.create(base, LABELS, post(Variant.PLUS), 8)) {
                perturb(model, Variant.PLUS, 6);
                float worstLayer = 0;
                for (Map.Entry<String, AdapterLayer> entry : model.layers().entrySet()) {
                    LormaPlusLayer layer = (LormaPlusLayer) entry.getValue();
                    AdaptableLinear linear = base.backbone().linearLayers().get(entry.getKey());
                    NDArray w0 = linear.weight().getArray();
                    try (NDManager scope = manager.newSubManager()) {
                        LoraFactors lora = layer.exportAsLora(w0, scope);
                        assertThat(lora.loraA().getShape()).isEqualTo(new Shape(RANK, linear.inFeatures()));
                        assertThat(lora.loraB().getShape()).isEqualTo(new Shape(linear.outFeatures(), RANK));
                        assertThat(lora.loraA().getManager()).isSameAs(scope);
                        assertThat(lora.loraB().getManager()).isSameAs(scope);
                        assertThat(lora.scaling()).isEqualTo((float) asLora.scaling());
                        NDArray x = scope.randomNormal(0, 1, new Shape(3, linear.inFeatures()), DataType.FLOAT32);
                        float[] viaLora = LoraLayer.of(lora.loraA(), lora.loraB(), asLora)
                                .forward(x, w0, linear.bias().getArray(), false).toFloatArray();
                        float[] direct = layer.forward(x, w0, linear.bias().getArray(), false).toFloatArray();
                        worstLayer = Math.max(worstLayer, maxAbsDiff(viaLora, direct));
                    }
                }
                System.out.printf("LoRMA+ post vs its LoRA form, per layer: %.3g%n", worstLayer);
                assertThat(worstLayer).isLessThanOrEqualTo(TOLERANCE);
                expected = model.logits(batch(base, manager), false).toFloatArray();
                PeftAdapterFiles.write(model, "models/all-minilm-l6-v2/", dir);
            }
            LoraConfig written = (LoraConfig) PeftAdapterFiles.readConfig(dir);
            assertThat(written.rank()).isEqualTo(RANK);
            assertThat(written.scaling()).isEqualTo(asLora.scaling());
            try (AdaptedClassifier reloaded = PeftAdapterFiles.read(dir, base, LABELS)) {
                float diff = maxAbsDiff(reloaded.logits(batch(base, manager), false).toFloatArray(), expected);
                System.out.printf("LoRMA+ post -> PEFT LoRA r=%d: max |logit difference| %.3g%n", written.rank(),
                        diff);
                assertThat(diff).isLessThanOrEqualTo(TOLERANCE);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void rankOfTheWeightChange(Variant variant) {
        PretrainedModel base = BundledModel.encoder();
        List<String> probed = List.of("encoder.layer.0.attention.self.query", "encoder.layer.3.attention.self.value",
                "encoder.layer.5.intermediate.dense");
        try (AdaptedClassifier model = AdaptedClassifier.create(base, LABELS, post(variant), 7)) {
            perturb(model, variant, 5);
            for (String path : probed) {
                AdaptableLinear linear = base.backbone().linearLayers().get(path);
                int rank;
                try (NDManager scope = base.manager().newSubManager()) {
                    NDArray w0 = linear.weight().getArray();
                    NDArray delta = model.layers().get(path).effectiveWeight(w0, scope).sub(w0);
                    assertThat(delta.getManager()).isSameAs(scope);
                    rank = numericalRank(delta);
                }
                int dOut = linear.outFeatures();
                int dIn = linear.inFeatures();
                System.out.printf("LoRMA %s post rank(W - W0) of %s (%d x %d): %d%n", variant, path, dOut, dIn,
                        rank);
                if (variant == Variant.PLUS) {
                    assertThat(rank).as(path).isLessThanOrEqualTo(RANK);
                } else {
                    // W0·(M − I) has rank at most rank(W0) ≤ min(d_out, d_in).
                    assertThat(rank).as(path).isGreaterThanOrEqualTo((int) (0.9 * Math.min(dOut, dIn)));
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void trainingDropoutActsOnTheAdapterPathOnlySoTheInitLayerIsStillTheBaseLayer(Variant variant) {
        try (NDManager manager = NDManager.newBaseManager()) {
            LormaConfig config = new LormaConfig(variant, 4, 8, 0.5, TargetModules.of("q"), Placement.POST);
            NDArray w0 = manager.randomNormal(new Shape(24, 16));
            AdapterLayer layer = config.initialize(w0, manager, new Random(3));
            NDArray x = manager.randomNormal(new Shape(8, 16));
            NDArray b0 = manager.randomNormal(new Shape(24));
            NDArray expected = x.matMul(w0.transpose()).add(b0);
            float diff = layer.forward(x, w0, b0, true).sub(expected).abs().max().getFloat();
            assertThat(diff).as("dropout 0.5 in training at init").isLessThanOrEqualTo(1e-5f);
        }
    }

    /** Autograd through the post forward against central differences, on a 6×5 layer (n = d_in = 5 ≠ d_out). */
    @ParameterizedTest
    @EnumSource(Variant.class)
    void autogradMatchesCentralDifferencesInFloat64(Variant variant) {
        int dIn = 5;
        int dOut = 6;
        int rank = 2;
        int batch = 3;
        Random random = new Random(variant.ordinal() + 23);
        LormaConfig config = new LormaConfig(variant, rank, 3, 0, TargetModules.of("q"), Placement.POST);
        FiniteDifferenceCheck check = new FiniteDifferenceCheck((m, a, b, w0) -> layer(m, config, a, b, dIn), batch,
                dIn, dOut, random);

        double worst = check.worstRelativeError(FiniteDifferenceCheck.gaussian(random, rank * dIn),
                FiniteDifferenceCheck.gaussian(random, dIn * rank));

        System.out.printf("LoRMA %s post float64 gradient check: worst relative error %.3g%n", variant, worst);
        assertThat(worst).isLessThan(1e-6);
    }

    /**
     * M (d_in × d_in) in double from the layer's factors, without the layer's code: {@code I + s·B·A} or
     * {@code s·π(B·A)} with {@code π(P)[i, j] = P[i, (j − i) mod n]}.
     */
    private static float[] naiveMultiplier(Variant variant, AdapterLayer layer) {
        NDArray aArray = layer.factors().get(LormaPlusLayer.A_KEY);
        int r = (int) aArray.getShape().get(0);
        int n = (int) aArray.getShape().get(1);
        float[] a = aArray.toFloatArray();
        float[] b = layer.factors().get(LormaPlusLayer.B_KEY).toFloatArray();
        double s = ALPHA / RANK;
        double[] product = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < r; k++) {
                for (int j = 0; j < n; j++) {
                    product[i * n + j] += (double) b[i * r + k] * a[k * n + j];
                }
            }
        }
        float[] m = new float[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                m[i * n + j] = variant == Variant.PLUS
                        ? (float) ((i == j ? 1 : 0) + s * product[i * n + j])
                        : (float) (s * product[i * n + Math.floorMod(j - i, n)]);
            }
        }
        return m;
    }

    private static AdapterLayer layer(NDManager m, LormaConfig config, double[] a, double[] b, int n) {
        NDArray aa = m.create(a, new Shape(config.rank(), n));
        NDArray bb = m.create(b, new Shape(n, config.rank()));
        return config.variant() == Variant.PLUS ? LormaPlusLayer.of(aa, bb, config) : LormaPiLayer.of(aa, bb, config);
    }

    /** Singular values above 1e-4·σ_max, from EJML's SVD in float64. */
    private static int numericalRank(NDArray matrix) {
        int rows = (int) matrix.getShape().get(0);
        int cols = (int) matrix.getShape().get(1);
        float[] values = matrix.toFloatArray();
        SimpleMatrix m = new SimpleMatrix(rows, cols);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                m.set(i, j, values[i * cols + j]);
            }
        }
        double[] sigma = m.svd(true).getSingularValues();
        double max = Arrays.stream(sigma).max().orElse(0);
        return (int) Arrays.stream(sigma).filter(s -> s > 1e-4 * max).count();
    }

    private static NDList batch(PretrainedModel base, NDManager manager) {
        return TextTokenizer.collate(base.tokenizer().encode(TEXTS), manager, 64);
    }

    private static float[] hidden(PretrainedModel base, NDList batch, NDManager manager) {
        return base.backbone().forward(new ParameterStore(manager, false), batch.get(0), batch.get(1), batch.get(2),
                false).toFloatArray();
    }
}
