package dev.adapterloop.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.adapterloop.adapters.lora.LoraConfig;
import dev.adapterloop.adapters.lora.LoraLayer;
import dev.adapterloop.adapters.milora.Components;
import dev.adapterloop.adapters.milora.MiloraConfig;
import dev.adapterloop.adapters.milora.MiloraLayer;
import java.util.Random;
import java.util.function.BiFunction;
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
        double[] x = gaussian(random, BATCH * D_IN);
        double[] w0 = gaussian(random, D_OUT * D_IN);
        double[] b0 = gaussian(random, D_OUT);
        double[] g = gaussian(random, BATCH * D_OUT);
        double[] a = gaussian(random, RANK * D_IN);
        double[] b = gaussian(random, D_OUT * RANK);
        double[] a0 = gaussian(random, RANK * D_IN);
        double[] b0Factor = gaussian(random, D_OUT * RANK);

        BiFunction<double[], double[], Double> loss = (av, bv) -> {
            try (NDManager m = NDManager.newBaseManager()) {
                AdapterLayer layer = layer(m, method, av, bv, w0, a0, b0Factor);
                NDArray h = layer.forward(m.create(x, new Shape(BATCH, D_IN)), m.create(w0, new Shape(D_OUT, D_IN)),
                        m.create(b0), false);
                return h.mul(m.create(g, new Shape(BATCH, D_OUT))).sum().getDouble();
            }
        };

        try (NDManager m = NDManager.newBaseManager()) {
            AdapterLayer layer = layer(m, method, a, b, w0, a0, b0Factor);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray h = layer.forward(m.create(x, new Shape(BATCH, D_IN)), m.create(w0, new Shape(D_OUT, D_IN)),
                        m.create(b0), true);
                collector.backward(h.mul(m.create(g, new Shape(BATCH, D_OUT))).sum());
            }
            double[] gradA = layer.factors().get(LoraLayer.A_KEY).getGradient().toDoubleArray();
            double[] gradB = layer.factors().get(LoraLayer.B_KEY).getGradient().toDoubleArray();
            double worst = 0;
            double eps = 1e-6;
            for (int i = 0; i < a.length; i++) {
                double[] plus = a.clone();
                double[] minus = a.clone();
                plus[i] += eps;
                minus[i] -= eps;
                worst = Math.max(worst, relativeError(gradA[i],
                        (loss.apply(plus, b) - loss.apply(minus, b)) / (2 * eps)));
            }
            for (int i = 0; i < b.length; i++) {
                double[] plus = b.clone();
                double[] minus = b.clone();
                plus[i] += eps;
                minus[i] -= eps;
                worst = Math.max(worst, relativeError(gradB[i],
                        (loss.apply(a, plus) - loss.apply(a, minus)) / (2 * eps)));
            }
            System.out.printf("%s float64 gradient check: worst relative error %.3g%n", method, worst);
            assertThat(worst).isLessThan(1e-6);
        }
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

    private static double relativeError(double analytic, double numeric) {
        return Math.abs(analytic - numeric) / Math.max(1e-8, Math.max(Math.abs(analytic), Math.abs(numeric)));
    }

    private static double[] gaussian(Random random, int size) {
        double[] values = new double[size];
        for (int i = 0; i < size; i++) {
            values[i] = random.nextGaussian();
        }
        return values;
    }
}
