package dev.adapterloop.adapters.lorma;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import dev.adapterloop.adapters.AdapterArrays;
import dev.adapterloop.adapters.AdapterLayer;
import dev.adapterloop.adapters.LoraFactors;
import dev.adapterloop.adapters.lorma.LormaConfig.Placement;
import dev.adapterloop.model.AdditiveAdapter;
import dev.adapterloop.model.ComputeTypes;
import dev.adapterloop.model.DropoutMasks;
import dev.adapterloop.model.TorchArrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * LoRMA₊ on one linear layer: the multiplier {@code M = I + s·B·A} with {@code B} (n, r) and {@code A} (r, n), placed
 * before or after the frozen weight.
 * <ul>
 *   <li>pre, n = d_out: {@code W = M·W0}; forward {@code u = W0·x; h = u + s·B·(A·dropout(u)) + b0};</li>
 *   <li>post, n = d_in: {@code W = W0·M}; forward {@code v = x + s·B·(A·dropout(x)); h = W0·v + b0}.</li>
 * </ul>
 * Neither forms an n×n matrix: the cost is of the same order as LoRA's. The bias stays outside the product
 * (multiplying {@code W0·x + b0} would be a different layer).
 *
 * <p>Dropout acts on the adapter's input on the A path only, as LoRA drops {@code x} before its A: the layer is
 * {@code y + (M − I)·dropout(y)} with {@code y} the vector M multiplies, so the base path is untouched.
 *
 * <p>Init (paper): {@code B = 0}, {@code A} Kaiming-uniform with fan-in n, so the layer starts exactly at the base
 * layer. The weight change has rank ≤ r and is exactly a LoRA ({@link #exportAsLora}): pre
 * {@code s·B·(A·W0)}, i.e. {@code A' = A·W0, B' = B}; post {@code s·(W0·B)·A}, i.e. {@code A' = A, B' = W0·B}.
 */
public final class LormaPlusLayer implements AdapterLayer, AdditiveAdapter {

    public static final String A_KEY = "lora_A.weight";
    public static final String B_KEY = "lora_B.weight";

    private final NDArray loraA;
    private final NDArray loraB;
    private final float scaling;
    private final float dropout;
    private final Placement placement;

    LormaPlusLayer(NDArray loraA, NDArray loraB, double scaling, double dropout, Placement placement) {
        this.loraA = loraA;
        this.loraB = loraB;
        this.scaling = (float) scaling;
        this.dropout = (float) dropout;
        this.placement = placement;
        loraA.setRequiresGradient(true);
        loraB.setRequiresGradient(true);
    }

    /**
     * A fresh layer whose multiplier is n×n ({@code n} = d_out pre, d_in post; see
     * {@link Placement#dimension}), its randomness drawn from {@code random}.
     */
    public static LormaPlusLayer initialize(NDManager manager, int n, LormaConfig config, Random random) {
        return new LormaPlusLayer(AdapterArrays.kaimingUniform(manager, random, config.rank(), n),
                manager.zeros(new Shape(n, config.rank())),
                config.scaling(), config.dropout(), config.placement());
    }

    /** A layer with given factors, A (r, n) and B (n, r); the arrays become this layer's. */
    public static LormaPlusLayer of(NDArray loraA, NDArray loraB, LormaConfig config) {
        return new LormaPlusLayer(loraA, loraB, config.scaling(), config.dropout(), config.placement());
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

    public Placement placement() {
        return placement;
    }

    @Override
    public Map<String, NDArray> factors() {
        return AdapterArrays.loraPair(loraA, loraB);
    }

    @Override
    public Map<String, NDArray> storedTensors() {
        Map<String, NDArray> stored = new LinkedHashMap<>();
        stored.put(LormaConfig.STORED_A_KEY, loraA);
        stored.put(LormaConfig.STORED_B_KEY, loraB);
        return stored;
    }

    @Override
    public NDArray forward(NDArray x, NDArray weight, NDArray bias, boolean training) {
        // x (or u, computed from x) is the first operand of every product, so all results attach to x's manager.
        if (placement == Placement.PRE) {
            NDArray u = Linear.linear(x, weight).singletonOrThrow();
            NDArray out = multiply(u, training);
            return bias == null ? out : out.addi(bias);
        }
        return Linear.linear(multiply(x, training), weight, bias).singletonOrThrow();
    }

    /**
     * pre: {@code s·B·(A·u)} with {@code u = W0·x} ({@code frozen}); post: {@code W0·(s·B·(A·x))}: the layer's output
     * minus {@code W0·x + b0}, in inference.
     */
    @Override
    public NDArray delta(NDArray x, NDArray weight, NDArray frozen) {
        if (placement == Placement.PRE) {
            return lowRank(frozen);
        }
        return Linear.linear(lowRank(x), weight).singletonOrThrow();
    }

    /** {@code s·B·(A·y)}. */
    private NDArray lowRank(NDArray y) {
        NDArray down = Linear.linear(y, ComputeTypes.castLike(loraA, y)).singletonOrThrow();
        NDArray up = Linear.linear(down, ComputeTypes.castLike(loraB, y)).singletonOrThrow();
        return TorchArrays.scaleInPlace(up, scaling);
    }

    /** {@code M·y} for the rows of {@code y}: {@code y + s·B·(A·dropout(y))}. */
    private NDArray multiply(NDArray y, boolean training) {
        NDArray dropped = DropoutMasks.dropout(y, dropout, training);
        NDArray down = Linear.linear(dropped, ComputeTypes.castLike(loraA, y)).singletonOrThrow();
        return AdapterArrays.addLowRank(y, down, loraB, scaling);
    }

    /** {@code W0 + ΔW} with ΔW from {@link #exportAsLora}, attached to {@code scope}; {@code B·A} is never formed. */
    @Override
    public NDArray effectiveWeight(NDArray frozenWeight, NDManager scope) {
        LoraFactors lora = exportAsLora(frozenWeight, scope);
        NDArray delta = TorchArrays.scale(lora.loraB().matMul(lora.loraA()), scaling);
        return delta.add(frozenWeight);
    }

    /**
     * The exact LoRA this adapter amounts to, same scaling, so {@code W0 + s·B'·A'} equals {@link #effectiveWeight}:
     * pre {@code A' = A·W0} (r, d_in), {@code B' = B} (d_out, r); post {@code A' = A} (r, d_in),
     * {@code B' = W0·B} (d_out, r). Lets a LoRMA₊ adapter be written in PEFT's format and served by anything that
     * loads LoRA. Both arrays are attached to {@code scope}.
     */
    @Override
    public Optional<Map<String, NDArray>> peftTensors(NDArray frozenWeight, NDManager scope) {
        return Optional.of(exportAsLora(frozenWeight, scope).tensors());
    }

    public LoraFactors exportAsLora(NDArray frozenWeight, NDManager scope) {
        NDArray a = AdapterArrays.copyTo(loraA, scope);
        NDArray b = AdapterArrays.copyTo(loraB, scope);
        if (placement == Placement.PRE) {
            return new LoraFactors(a.matMul(frozenWeight), b, scaling);
        }
        // A scope copy of W0 as first operand: the product lands in the scope, never in the base model's manager.
        return new LoraFactors(a, AdapterArrays.copyTo(frozenWeight, scope).matMul(b), scaling);
    }
}
