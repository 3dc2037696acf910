package dev.adapterloop.adapters.lorma;

import dev.adapterloop.adapters.AdapterArrays;
import dev.adapterloop.adapters.LoraFactors;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import dev.adapterloop.adapters.AdapterLayer;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * LoRMA₊ on one linear layer, "pre" placement: {@code W = (I + s·B·A)·W0} with {@code B} (d_out, r) and {@code A}
 * (r, d_out). The forward never forms a d×d matrix: {@code u = W0·x; h = u + s·B·(A·dropout(u)) + b0}, the same cost
 * order as LoRA. The bias stays outside the product (multiplying {@code W0·x + b0} would be a different layer).
 *
 * <p>Dropout acts on {@code u}, the adapter's input, on the A path only, as LoRA drops {@code x} before its A: the
 * base path {@code u} is untouched and the layer is {@code u + (M − I)·dropout(u)} with {@code M = I + s·B·A}.
 *
 * <p>Init (paper): {@code B = 0}, {@code A} Kaiming-uniform with fan-in d_out, so the layer starts exactly at the base
 * layer. The weight change {@code s·B·(A·W0)} has rank ≤ r and is exactly a LoRA with {@code A' = A·W0},
 * {@code B' = B} ({@link #exportAsLora}).
 */
public final class LormaPlusLayer implements AdapterLayer {

    public static final String A_KEY = "lora_A.weight";
    public static final String B_KEY = "lora_B.weight";

    private final NDArray loraA;
    private final NDArray loraB;
    private final float scaling;
    private final float dropout;

    LormaPlusLayer(NDArray loraA, NDArray loraB, double scaling, double dropout) {
        this.loraA = loraA;
        this.loraB = loraB;
        this.scaling = (float) scaling;
        this.dropout = (float) dropout;
        loraA.setRequiresGradient(true);
        loraB.setRequiresGradient(true);
    }

    /** A fresh layer for a weight with {@code dOut} rows, its randomness drawn from {@code random}. */
    public static LormaPlusLayer initialize(NDManager manager, int dOut, LormaConfig config, Random random) {
        return new LormaPlusLayer(AdapterArrays.kaimingUniform(manager, random, config.rank(), dOut),
                manager.zeros(new Shape(dOut, config.rank())),
                config.scaling(), config.dropout());
    }

    /** A layer with given factors, A (r, d_out) and B (d_out, r); the arrays become this layer's. */
    public static LormaPlusLayer of(NDArray loraA, NDArray loraB, LormaConfig config) {
        return new LormaPlusLayer(loraA, loraB, config.scaling(), config.dropout());
    }

    public NDArray loraA() {
        return loraA;
    }

    public NDArray loraB() {
        return loraB;
    }

    public float scaling() {
        return scaling;
    }

    @Override
    public Map<String, NDArray> factors() {
        return AdapterArrays.loraPair(loraA, loraB);
    }

    @Override
    public NDArray forward(NDArray x, NDArray weight, NDArray bias, boolean training) {
        // x is the first operand of every product, so all results attach to x's manager.
        NDArray u = Linear.linear(x, weight).singletonOrThrow();
        NDArray dropped = Dropout.dropout(u, dropout, training).singletonOrThrow();
        NDArray down = Linear.linear(dropped, loraA).singletonOrThrow();
        NDArray up = Linear.linear(down, loraB).singletonOrThrow();
        return u.add(up.mul(scaling)).add(bias);
    }

    /** {@code W0 + s·B·(A·W0)}, attached to {@code scope}; {@code B·A} (d_out × d_out) is never formed. */
    @Override
    public NDArray effectiveWeight(NDArray frozenWeight, NDManager scope) {
        NDArray a = AdapterArrays.copyTo(loraA, scope);
        NDArray b = AdapterArrays.copyTo(loraB, scope);
        NDArray delta = b.matMul(a.matMul(frozenWeight)).mul(scaling);
        return delta.add(frozenWeight);
    }

    /**
     * The exact LoRA this adapter amounts to: {@code A' = A·W0} (r, d_in), {@code B' = B} (d_out, r), same scaling,
     * so {@code W0 + s·B'·A'} equals {@link #effectiveWeight}. Lets a LoRMA₊ adapter be written in PEFT's format and
     * served by anything that loads LoRA. Both arrays are copies attached to {@code scope}.
     */
    @Override
    public Optional<LoraFactors> asLora(NDArray frozenWeight, NDManager scope) {
        return Optional.of(exportAsLora(frozenWeight, scope));
    }

    public LoraFactors exportAsLora(NDArray frozenWeight, NDManager scope) {
        NDArray a = AdapterArrays.copyTo(loraA, scope);
        return new LoraFactors(a.matMul(frozenWeight), AdapterArrays.copyTo(loraB, scope), scaling);
    }
}
