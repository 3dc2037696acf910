package dev.adapterloop.adapters.lorma;

import static dev.adapterloop.adapters.lorma.LormaFixtures.ALPHA;
import static dev.adapterloop.adapters.lorma.LormaFixtures.LABELS;
import static dev.adapterloop.adapters.lorma.LormaFixtures.RANK;
import static dev.adapterloop.adapters.lorma.LormaFixtures.TARGETS;
import static dev.adapterloop.adapters.lorma.LormaFixtures.TOLERANCE;
import static dev.adapterloop.adapters.lorma.LormaFixtures.config;
import static dev.adapterloop.adapters.lorma.LormaFixtures.maxAbsDiff;
import static dev.adapterloop.adapters.lorma.LormaFixtures.perturb;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.adapterloop.adapters.AdaptedClassifier;
import dev.adapterloop.adapters.AdapterLayer;
import dev.adapterloop.adapters.LoraFactors;
import dev.adapterloop.adapters.lora.LoraConfig;
import dev.adapterloop.adapters.lora.LoraLayer;
import dev.adapterloop.adapters.lorma.LormaConfig.Variant;
import dev.adapterloop.model.AdaptableLinear;
import dev.adapterloop.model.PretrainedModel;
import dev.adapterloop.testing.BundledModel;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.ejml.simple.SimpleMatrix;
import org.ejml.simple.SimpleSVD;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The weight change of LoRMA on the bundled MiniLM's real layers: LoRMA₊'s efficient order equals the naive product
 * and is exactly a LoRA (property 3 of docs/methods.md); its rank is ≤ r for LoRMA₊ and near full for LoRMA_π
 * (property 6).
 */
class LormaWeightChangeTest {

    @Test
    void plusEfficientOrderEqualsTheNaiveProductAndItsLoraExport() {
        PretrainedModel base = BundledModel.encoder();
        LoraConfig asLora = new LoraConfig(RANK, ALPHA, 0.0, TARGETS, false);
        try (AdaptedClassifier model = AdaptedClassifier.create(base, LABELS, config(Variant.PLUS), 5)) {
            perturb(model, Variant.PLUS, 1);
            Map<String, AdaptableLinear> linears = base.backbone().linearLayers();
            float worstNaive = 0;
            float worstExport = 0;
            Random random = new Random(17);
            for (Map.Entry<String, AdapterLayer> entry : model.layers().entrySet()) {
                LormaPlusLayer layer = (LormaPlusLayer) entry.getValue();
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

                    int n = linear.outFeatures();
                    NDArray a = scope.create(layer.loraA().toFloatArray(), layer.loraA().getShape());
                    NDArray b = scope.create(layer.loraB().toFloatArray(), layer.loraB().getShape());
                    NDArray naiveWeight = scope.eye(n).add(b.matMul(a).mul(layer.scaling())).matMul(w0);
                    float[] naive = x.matMul(naiveWeight.transpose()).add(b0).toFloatArray();
                    worstNaive = Math.max(worstNaive, maxAbsDiff(efficient, naive));

                    LoraFactors exported = layer.exportAsLora(w0, scope);
                    assertThat(exported.loraA().getShape()).isEqualTo(new Shape(RANK, linear.inFeatures()));
                    assertThat(exported.loraB().getShape()).isEqualTo(new Shape(n, RANK));
                    assertThat(exported.scaling()).isEqualTo(asLora.scaling());
                    float[] viaLora = LoraLayer.of(exported.loraA(), exported.loraB(), asLora)
                            .forward(x, w0, b0, false).toFloatArray();
                    worstExport = Math.max(worstExport, maxAbsDiff(efficient, viaLora));
                }
            }
            System.out.printf("LoRMA+ efficient vs naive: %.3g, vs exported LoRA: %.3g%n", worstNaive, worstExport);
            assertThat(worstNaive).isLessThanOrEqualTo(TOLERANCE);
            assertThat(worstExport).isLessThanOrEqualTo(TOLERANCE);
        }
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void rankOfTheWeightChange(Variant variant) {
        PretrainedModel base = BundledModel.encoder();
        List<String> probed = List.of("encoder.layer.0.attention.self.query", "encoder.layer.3.attention.self.value",
                "encoder.layer.5.intermediate.dense");
        try (AdaptedClassifier model = AdaptedClassifier.create(base, LABELS, config(variant), 7)) {
            perturb(model, variant, 5);
            for (String path : probed) {
                AdaptableLinear linear = base.backbone().linearLayers().get(path);
                AdapterLayer layer = model.layers().get(path);
                int rank;
                try (NDManager scope = base.manager().newSubManager()) {
                    NDArray w0 = linear.weight().getArray();
                    NDArray delta = layer.effectiveWeight(w0, scope).sub(w0);
                    assertThat(delta.getManager()).isSameAs(scope);
                    rank = numericalRank(delta);
                }
                int dOut = linear.outFeatures();
                int dIn = linear.inFeatures();
                System.out.printf("LoRMA %s rank(W - W0) of %s (%d x %d): %d%n", variant, path, dOut, dIn, rank);
                if (variant == Variant.PLUS) {
                    assertThat(rank).as(path).isLessThanOrEqualTo(RANK);
                } else {
                    // (M − I)·W0 has rank at most rank(W0) ≤ min(d_out, d_in): d_in caps the FFN's 1536 rows at 384.
                    assertThat(rank).as(path).isGreaterThanOrEqualTo((int) (0.9 * Math.min(dOut, dIn)));
                }
            }
        }
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
        SimpleSVD<SimpleMatrix> svd = m.svd(true);
        double[] sigma = svd.getSingularValues();
        double max = 0;
        for (double s : sigma) {
            max = Math.max(max, s);
        }
        int rank = 0;
        for (double s : sigma) {
            if (s > 1e-4 * max) {
                rank++;
            }
        }
        return rank;
    }
}
