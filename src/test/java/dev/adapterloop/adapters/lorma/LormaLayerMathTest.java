package dev.adapterloop.adapters.lorma;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.adapterloop.adapters.AdapterLayer;
import dev.adapterloop.adapters.FiniteDifferenceCheck;
import dev.adapterloop.adapters.TargetModules;
import dev.adapterloop.adapters.lorma.LormaConfig.Variant;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The layers' math on tiny float64 problems: π, the identity init of LoRMA_π, and a finite-difference check. */
class LormaLayerMathTest {

    private static final int D_IN = 5;
    private static final int D_OUT = 6;
    private static final int RANK = 2;
    private static final int BATCH = 3;

    @Test
    void piRotatesRowIByI() {
        int n = 4;
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] values = new float[n * n];
            for (int i = 0; i < values.length; i++) {
                values[i] = i;
            }
            LormaPiLayer layer = LormaPiLayer.initialize(manager, n, new LormaConfig(Variant.PI, 2, 2, 0,
                    TargetModules.of("q")), new Random(1));
            float[] rotated = layer.rotate(manager.create(values, new Shape(n, n))).toFloatArray();
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    assertThat(rotated[i * n + j]).as("π(M)[%d,%d]", i, j)
                            .isEqualTo(values[i * n + Math.floorMod(j - i, n)]);
                }
            }
        }
    }

    @Test
    void piInitIsTheIdentity() {
        int n = 384;
        try (NDManager manager = NDManager.newBaseManager(); NDManager scope = manager.newSubManager()) {
            LormaPiLayer layer = LormaPiLayer.initialize(manager, n, new LormaConfig(Variant.PI, 8, 16, 0,
                    TargetModules.of("q")), new Random(2));
            NDArray m = layer.effectiveWeight(manager.eye(n), scope);
            float maxError = m.sub(scope.eye(n)).abs().max().getFloat();
            System.out.printf("LoRMA_pi init: max |s·π(B·A) − I| = %.3g%n", maxError);
            assertThat(maxError).isLessThanOrEqualTo(1e-6f);
            assertThat(m.getManager()).isSameAs(scope);
        }
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void trainingDropoutActsOnTheAdapterPathOnlySoTheInitLayerIsStillTheBaseLayer(Variant variant) {
        int dIn = 16;
        int dOut = 24;
        try (NDManager manager = NDManager.newBaseManager()) {
            LormaConfig config = new LormaConfig(variant, 4, 8, 0.5, TargetModules.of("q"));
            AdapterLayer layer = config.initialize(manager.zeros(new Shape(dOut, dIn)), manager, new Random(3));
            NDArray x = manager.randomNormal(new Shape(8, dIn));
            NDArray w0 = manager.randomNormal(new Shape(dOut, dIn));
            NDArray b0 = manager.randomNormal(new Shape(dOut));
            NDArray expected = x.matMul(w0.transpose()).add(b0);
            float diff = layer.forward(x, w0, b0, true).sub(expected).abs().max().getFloat();
            assertThat(diff).as("dropout 0.5 in training at init").isLessThanOrEqualTo(1e-5f);
        }
    }

    @ParameterizedTest
    @EnumSource(Variant.class)
    void autogradMatchesCentralDifferencesInFloat64(Variant variant) {
        Random random = new Random(variant.ordinal() + 11);
        LormaConfig config = new LormaConfig(variant, RANK, 3, 0, TargetModules.of("q"));
        FiniteDifferenceCheck check = new FiniteDifferenceCheck((m, a, b, w0) -> layer(m, config, a, b), BATCH, D_IN,
                D_OUT, random);

        double worst = check.worstRelativeError(FiniteDifferenceCheck.gaussian(random, RANK * D_OUT),
                FiniteDifferenceCheck.gaussian(random, D_OUT * RANK));

        System.out.printf("LoRMA %s float64 gradient check: worst relative error %.3g%n", variant, worst);
        assertThat(worst).isLessThan(1e-6);
    }

    private static AdapterLayer layer(NDManager m, LormaConfig config, double[] a, double[] b) {
        NDArray aa = m.create(a, new Shape(RANK, D_OUT));
        NDArray bb = m.create(b, new Shape(D_OUT, RANK));
        return config.variant() == Variant.PLUS ? LormaPlusLayer.of(aa, bb, config) : LormaPiLayer.of(aa, bb, config);
    }
}
