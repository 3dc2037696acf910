package dev.adapterloop.adapters.milora;

import static dev.adapterloop.adapters.milora.MiloraTesting.matrix;
import static dev.adapterloop.adapters.milora.MiloraTesting.maxAbs;
import static dev.adapterloop.adapters.milora.MiloraTesting.maxAbsDiff;
import static dev.adapterloop.adapters.milora.MiloraTesting.numericalRank;
import static dev.adapterloop.adapters.milora.MiloraTesting.perturb;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.adapterloop.adapters.LoraFactors;
import dev.adapterloop.adapters.TargetModules;
import dev.adapterloop.adapters.lora.LoraConfig;
import dev.adapterloop.adapters.lora.LoraLayer;
import dev.adapterloop.model.AdaptableLinear;
import dev.adapterloop.model.PretrainedModel;
import dev.adapterloop.testing.BundledModel;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** MiLoRA/PiSSA on single real layers of the bundled MiniLM: the SVD split, its export, and its validation. */
class MiloraLayerTest {

    private static final List<String> LAYERS = List.of("encoder.layer.0.attention.self.query",
            "encoder.layer.3.attention.self.value", "encoder.layer.5.intermediate.dense");

    static Stream<Arguments> configs() {
        return Stream.of(Arguments.of(Components.MINOR, 16.0), Arguments.of(Components.PRINCIPAL, 16.0),
                Arguments.of(Components.MINOR, 8.0), Arguments.of(Components.PRINCIPAL, 8.0));
    }

    /** MiLoRA with the paper's alpha = r (s = 1) and PiSSA with docs/methods.md's alpha = 16 (s = 2). */
    static Stream<Arguments> twoConfigs() {
        return Stream.of(Arguments.of(Components.MINOR, 8.0), Arguments.of(Components.PRINCIPAL, 16.0));
    }

    @ParameterizedTest(name = "{0}, alpha={1}")
    @MethodSource("twoConfigs")
    void residualPlusAdapterReconstructsW0AndTheAdapterIsOrthogonalToTheResidual(Components components,
                                                                                 double alpha) {
        MiloraConfig config = MiloraTesting.config(components, alpha);
        for (String path : LAYERS) {
            AdaptableLinear linear = linear(path);
            NDArray w0 = linear.weight().getArray();
            float[] before = w0.toFloatArray();
            try (NDManager manager = w0.getManager().newSubManager()) {
                MiloraLayer layer = MiloraLayer.initialize(w0, manager, config);
                float[] effective;
                try (NDManager scope = manager.newSubManager()) {
                    effective = layer.effectiveWeight(w0, scope).toFloatArray();
                }
                double scale = maxAbs(matrix(w0));
                double reconstruction = maxAbsDiff(effective, before) / scale;
                // U_idx = B's columns normalised; Uᵀ_idx·W_res and W_res·V_idx vanish at init.
                DMatrixRMaj u = normalizedColumns(matrix(layer.loraB()));
                DMatrixRMaj vt = normalizedRows(matrix(layer.loraA()));
                DMatrixRMaj residual = matrix(layer.residual());
                DMatrixRMaj left = new DMatrixRMaj(u.numCols, residual.numCols);
                CommonOps_DDRM.multTransA(u, residual, left);
                DMatrixRMaj right = new DMatrixRMaj(residual.numRows, vt.numRows);
                CommonOps_DDRM.multTransB(residual, vt, right);
                System.out.printf("%s %s alpha=%.0f: max|W_res + s·B·A − W0|/max|W0| = %.2e, max|Uᵀ·W_res| = %.2e,"
                        + " max|W_res·V| = %.2e%n", config.name(), path, alpha, reconstruction, maxAbs(left),
                        maxAbs(right));
                assertThat(reconstruction).as(path).isLessThanOrEqualTo(3e-5);
                assertThat(maxAbs(left)).as(path + " Uᵀ_idx·W_res").isLessThanOrEqualTo(1e-4);
                assertThat(maxAbs(right)).as(path + " W_res·V_idx").isLessThanOrEqualTo(1e-4);
                assertThat(layer.loraA().hasGradient()).isTrue();
                assertThat(layer.residual().hasGradient()).as("W_res is frozen").isFalse();
            }
            assertThat(Arrays.equals(w0.toFloatArray(), before)).as("the frozen weight is never modified").isTrue();
        }
    }

    @Test
    void minorTakesTheSmallestAndPrincipalTheLargestSingularValues() {
        AdaptableLinear linear = linear("encoder.layer.0.attention.self.query");
        NDArray w0 = linear.weight().getArray();
        SvdInit.Decomposition svd = SvdInit.decompose(w0.toFloatArray(), 384, 384);
        double[] sigma = svd.singularValues();
        for (int i = 1; i < sigma.length; i++) {
            assertThat(sigma[i]).as("descending at %d", i).isLessThanOrEqualTo(sigma[i - 1]);
        }
        try (NDManager manager = w0.getManager().newSubManager()) {
            MiloraLayer minor = MiloraLayer.initialize(w0, manager, MiloraTesting.config(Components.MINOR, 8));
            MiloraLayer principal = MiloraLayer.initialize(w0, manager,
                    MiloraTesting.config(Components.PRINCIPAL, 8));
            for (int k = 0; k < 8; k++) {
                assertThat(minor.singularValues()[k]).isEqualTo(sigma[sigma.length - 8 + k]);
                assertThat(principal.singularValues()[k]).isEqualTo(sigma[k]);
            }
            double minorNorm = minor.loraB().matMul(minor.loraA()).norm().getFloat();
            double principalNorm = principal.loraB().matMul(principal.loraA()).norm().getFloat();
            System.out.printf("query.0: σ_max = %.4f, σ_min = %.3e; ‖B·A‖_F MiLoRA = %.3e, PiSSA = %.3f%n",
                    sigma[0], sigma[sigma.length - 1], minorNorm, principalNorm);
            assertThat(principalNorm).isGreaterThan(20 * minorNorm);
        }
    }

    @ParameterizedTest(name = "{0}, alpha={1}")
    @MethodSource("configs")
    void exportedRank2rLoraReproducesTheTrainedLayer(Components components, double alpha) {
        MiloraConfig config = MiloraTesting.config(components, alpha);
        Random random = new Random(11);
        for (String path : LAYERS) {
            AdaptableLinear linear = linear(path);
            NDArray w0 = linear.weight().getArray();
            NDArray b0 = linear.bias().getArray();
            try (NDManager manager = w0.getManager().newSubManager()) {
                MiloraLayer layer = MiloraLayer.initialize(w0, manager, config);
                perturb(layer.loraA(), random, 0.02);
                perturb(layer.loraB(), random, 0.02);
                try (NDManager scope = manager.newSubManager()) {
                    LoraFactors export = layer.exportAsLora(scope);
                    assertThat(export.loraA().getShape()).isEqualTo(new Shape(16, linear.inFeatures()));
                    assertThat(export.loraB().getShape()).isEqualTo(new Shape(linear.outFeatures(), 16));
                    assertThat(export.rank()).isEqualTo(16);
                    assertThat(export.scaling()).isEqualTo(config.scaling());
                    assertThat(export.peftAlpha(false)).isCloseTo(2 * alpha, org.assertj.core.data.Offset.offset(1e-9));
                    assertThat(config.exportedAlpha()).isEqualTo(2 * alpha);

                    float[] effective = layer.effectiveWeight(w0, scope).toFloatArray();
                    DMatrixRMaj delta = new DMatrixRMaj(linear.outFeatures(), linear.inFeatures());
                    CommonOps_DDRM.mult(config.scaling(), matrix(export.loraB()), matrix(export.loraA()), delta);
                    CommonOps_DDRM.addEquals(delta, matrix(w0));
                    float[] exported = new float[effective.length];
                    for (int i = 0; i < exported.length; i++) {
                        exported[i] = (float) delta.data[i];
                    }
                    double weightDiff = maxAbsDiff(effective, exported);

                    // Outputs: the PEFT reading of the export (r = 2r, lora_alpha = 2α) on W0 vs. the layer.
                    NDArray x = scope.zeros(new Shape(4, 7, linear.inFeatures()));
                    perturb(x, random, 1.0);
                    float[] expected = layer.forward(x, w0, b0, false).toFloatArray();
                    LoraConfig peft = new LoraConfig(export.rank(), config.exportedAlpha(), 0.0,
                            TargetModules.of("query"), false);
                    LoraLayer lora = LoraLayer.of(export.loraA(), export.loraB(), peft);
                    double outputDiff = maxAbsDiff(lora.forward(x, w0, b0, false).toFloatArray(), expected);
                    LoraConfig forgotAlpha = new LoraConfig(export.rank(), alpha, 0.0, TargetModules.of("q"),
                            false);
                    double wrongAlphaDiff = maxAbsDiff(LoraLayer.of(export.loraA(), export.loraB(), forgotAlpha)
                            .forward(x, w0, b0, false).toFloatArray(), expected);

                    DMatrixRMaj change = matrix(layer.effectiveWeight(w0, scope));
                    CommonOps_DDRM.subtractEquals(change, matrix(w0));
                    int rank = numericalRank(change, 1e-4);
                    System.out.printf("%s %s alpha=%.0f: export weight diff %.2e, output diff %.2e (alpha not"
                            + " doubled: %.2e), rank(ΔW) = %d%n", config.name(), path, alpha, weightDiff, outputDiff,
                            wrongAlphaDiff, rank);
                    assertThat(weightDiff).as(path).isLessThanOrEqualTo(3e-5);
                    assertThat(outputDiff).as(path).isLessThanOrEqualTo(3e-5);
                    assertThat(wrongAlphaDiff).as("alpha must be doubled").isGreaterThan(1e-2);
                    assertThat(rank).as(path + " rank of the weight change").isLessThanOrEqualTo(16).isGreaterThan(8);
                }
            }
        }
    }

    @Test
    void rsLoraExportKeepsTheScalingWithAlphaTimesRootTwo() {
        MiloraConfig config = new MiloraConfig(Components.PRINCIPAL, 8, 8, 0.0, MiloraTesting.TARGETS, true);
        assertThat(config.scaling()).isEqualTo(8 / Math.sqrt(8));
        double exported = config.exportedAlpha() / Math.sqrt(2 * config.rank());
        assertThat(exported).isCloseTo(config.scaling(), org.assertj.core.data.Offset.offset(1e-12));
        NDArray w0 = linear("encoder.layer.0.attention.self.value").weight().getArray();
        try (NDManager manager = w0.getManager().newSubManager()) {
            MiloraLayer layer = MiloraLayer.initialize(w0, manager, config);
            LoraFactors export = layer.exportAsLora(manager);
            assertThat(export.peftAlpha(true)).isCloseTo(config.exportedAlpha(),
                    org.assertj.core.data.Offset.offset(1e-9));
        }
    }

    @Test
    void invalidConfigsAreRejectedWithTheFieldAndValue() {
        assertThatThrownBy(() -> new MiloraConfig(Components.MINOR, 0, 8, 0, MiloraTesting.TARGETS, false))
                .hasMessage("rank must be > 0, got 0");
        assertThatThrownBy(() -> new MiloraConfig(Components.MINOR, 8, -1, 0, MiloraTesting.TARGETS, false))
                .hasMessage("alpha must be > 0, got -1.0");
        assertThatThrownBy(() -> new MiloraConfig(Components.MINOR, 8, 8, 1.0, MiloraTesting.TARGETS, false))
                .hasMessage("dropout must be in [0, 1), got 1.0");
        assertThatThrownBy(() -> new MiloraConfig(null, 8, 8, 0, MiloraTesting.TARGETS, false))
                .hasMessageContaining("components");
        assertThatThrownBy(() -> new MiloraConfig(Components.MINOR, 8, 8, 0, null, false))
                .hasMessageContaining("targets");
        assertThat(MiloraConfig.milora(8, 8, 0, MiloraTesting.TARGETS).name()).isEqualTo("milora");
        assertThat(MiloraConfig.pissa(8, 8, 0, MiloraTesting.TARGETS).name()).isEqualTo("pissa");

        NDArray w0 = linear("encoder.layer.0.attention.self.query").weight().getArray();
        try (NDManager manager = w0.getManager().newSubManager()) {
            MiloraConfig tooLarge = new MiloraConfig(Components.MINOR, 385, 8, 0, MiloraTesting.TARGETS, false);
            assertThatThrownBy(() -> tooLarge.initialize(w0, manager, new Random(1)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("rank must be <= min(d_out, d_in) = 384 for a 384×384 weight, got 385");
        }
    }

    private static AdaptableLinear linear(String path) {
        PretrainedModel base = BundledModel.encoder();
        return base.backbone().linearLayers().get(path);
    }

    private static DMatrixRMaj normalizedColumns(DMatrixRMaj m) {
        DMatrixRMaj out = m.copy();
        for (int j = 0; j < m.numCols; j++) {
            double norm = 0;
            for (int i = 0; i < m.numRows; i++) {
                norm += m.get(i, j) * m.get(i, j);
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < m.numRows; i++) {
                out.set(i, j, m.get(i, j) / norm);
            }
        }
        return out;
    }

    private static DMatrixRMaj normalizedRows(DMatrixRMaj m) {
        DMatrixRMaj t = CommonOps_DDRM.transpose(m, null);
        return CommonOps_DDRM.transpose(normalizedColumns(t), null);
    }
}
