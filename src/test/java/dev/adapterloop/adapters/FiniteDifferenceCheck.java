package dev.adapterloop.adapters;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.adapterloop.adapters.lora.LoraLayer;
import java.util.Random;

/**
 * Autograd against central differences for one adapter layer in float64: the loss is {@code sum(g ⊙ layer(x))} with
 * fixed x, W0, b0 and g; the factors A and B vary. Shared by the gradient checks of every method.
 */
public final class FiniteDifferenceCheck {

    private static final double EPS = 1e-6;

    /** Builds the layer under test from factors A and B (W0 is given for layers that derive state from it). */
    @FunctionalInterface
    public interface LayerFactory {
        AdapterLayer build(NDManager manager, double[] a, double[] b, double[] w0);
    }

    private final LayerFactory factory;
    private final double[] x;
    private final double[] w0;
    private final double[] bias;
    private final double[] g;
    private final int batch;
    private final int dIn;
    private final int dOut;

    /** Random x, W0, b0 and g for a (dOut × dIn) layer and a batch of {@code batch} rows, drawn from {@code random}. */
    public FiniteDifferenceCheck(LayerFactory factory, int batch, int dIn, int dOut, Random random) {
        this.factory = factory;
        this.batch = batch;
        this.dIn = dIn;
        this.dOut = dOut;
        this.x = gaussian(random, batch * dIn);
        this.w0 = gaussian(random, dOut * dIn);
        this.bias = gaussian(random, dOut);
        this.g = gaussian(random, batch * dOut);
    }

    /** The worst relative error over every element of A and B between autograd's gradient and the numerical one. */
    public double worstRelativeError(double[] a, double[] b) {
        try (NDManager m = NDManager.newBaseManager()) {
            AdapterLayer layer = factory.build(m, a, b, w0);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(loss(m, layer, true));
            }
            double[] gradA = layer.factors().get(LoraLayer.A_KEY).getGradient().toDoubleArray();
            double[] gradB = layer.factors().get(LoraLayer.B_KEY).getGradient().toDoubleArray();
            double worst = 0;
            for (int i = 0; i < a.length; i++) {
                double[] plus = a.clone();
                double[] minus = a.clone();
                plus[i] += EPS;
                minus[i] -= EPS;
                worst = Math.max(worst, relativeError(gradA[i], (loss(plus, b) - loss(minus, b)) / (2 * EPS)));
            }
            for (int i = 0; i < b.length; i++) {
                double[] plus = b.clone();
                double[] minus = b.clone();
                plus[i] += EPS;
                minus[i] -= EPS;
                worst = Math.max(worst, relativeError(gradB[i], (loss(a, plus) - loss(a, minus)) / (2 * EPS)));
            }
            return worst;
        }
    }

    private double loss(double[] a, double[] b) {
        try (NDManager m = NDManager.newBaseManager()) {
            return loss(m, factory.build(m, a, b, w0), false).getDouble();
        }
    }

    private NDArray loss(NDManager m, AdapterLayer layer, boolean training) {
        NDArray h = layer.forward(m.create(x, new Shape(batch, dIn)), m.create(w0, new Shape(dOut, dIn)),
                m.create(bias), training);
        return h.mul(m.create(g, new Shape(batch, dOut))).sum();
    }

    public static double[] gaussian(Random random, int size) {
        double[] values = new double[size];
        for (int i = 0; i < size; i++) {
            values[i] = random.nextGaussian();
        }
        return values;
    }

    private static double relativeError(double analytic, double numeric) {
        return Math.abs(analytic - numeric) / Math.max(1e-8, Math.max(Math.abs(analytic), Math.abs(numeric)));
    }
}
