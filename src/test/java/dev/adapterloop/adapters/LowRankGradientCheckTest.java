package dev.adapterloop.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.adapterloop.adapters.lora.LoraConfig;
import dev.adapterloop.adapters.lora.LoraLayer;
import dev.adapterloop.adapters.milora.Components;
import dev.adapterloop.adapters.milora.MiloraConfig;
import dev.adapterloop.adapters.milora.MiloraLayer;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The backward pass of the additive low-rank layers (LoRA, MiLoRA, PiSSA) against central differences, in float64 on
 * a small layer: autograd's gradients of A and B must match the numerical ones (LoRMA has its own check).
 */
class LowRankGradientCheckTest {

    private static final int BATCH = 3;
    private static final int D_IN = 6;
    private static final int D_OUT = 5;
    private static final int RANK = 2;
    private static final TargetModules TARGETS = TargetModules.of("q");

    @ParameterizedTest
    @ValueSource(strings = {"lora", "milora", "pissa"})
    void autogradMatchesCentralDifferencesInFloat64(String method) {
        Random random = new Random(method.hashCode());
        // MiLoRA/PiSSA's starting factors, which define their frozen residual W0 − s·B0·A0.
        double[] initialA = FiniteDifferenceCheck.gaussian(random, RANK * D_IN);
        double[] initialB = FiniteDifferenceCheck.gaussian(random, D_OUT * RANK);
        FiniteDifferenceCheck check = new FiniteDifferenceCheck(
                (m, a, b, w0) -> layer(m, method, a, b, w0, initialA, initialB), BATCH, D_IN, D_OUT, random);

        double worst = check.worstRelativeError(FiniteDifferenceCheck.gaussian(random, RANK * D_IN),
                FiniteDifferenceCheck.gaussian(random, D_OUT * RANK));

        System.out.printf("%s float64 gradient check: worst relative error %.3g%n", method, worst);
        assertThat(worst).isLessThan(1e-6);
    }

    /** The layer under test with factors A, B (and, for MiLoRA/PiSSA, starting factors that define the residual). */
    private static AdapterLayer layer(NDManager m, String method, double[] a, double[] b, double[] w0, double[] a0,
                                      double[] b0) {
        NDArray loraA = m.create(a, new Shape(RANK, D_IN));
        NDArray loraB = m.create(b, new Shape(D_OUT, RANK));
        if (method.equals("lora")) {
            return LoraLayer.of(loraA, loraB, new LoraConfig(RANK, 3, 0, TARGETS, false));
        }
        MiloraConfig config = new MiloraConfig(method.equals("milora") ? Components.MINOR : Components.PRINCIPAL, RANK,
                3, 0, TARGETS, false);
        // The frozen residual is fp32 by design (W0 − s·B0·A0 from fp32 weights); the forward casts it to the
        // activations' type, so A and B still train in float64 here.
        return MiloraLayer.restore(float32(m, w0, D_OUT, D_IN), loraA, loraB, float32(m, a0, RANK, D_IN),
                float32(m, b0, D_OUT, RANK), config, m);
    }

    private static NDArray float32(NDManager m, double[] values, int rows, int columns) {
        return m.create(values, new Shape(rows, columns)).toType(DataType.FLOAT32, false);
    }
}
