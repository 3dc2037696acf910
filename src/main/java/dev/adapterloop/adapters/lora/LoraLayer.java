package dev.adapterloop.adapters.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import dev.adapterloop.adapters.AdapterArrays;
import dev.adapterloop.adapters.AdapterLayer;
import dev.adapterloop.model.AdditiveAdapter;
import dev.adapterloop.model.ComputeTypes;
import dev.adapterloop.model.DropoutMasks;
import dev.adapterloop.model.TorchArrays;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * LoRA on one linear layer: {@code h = W0·x + b0 + s·B·(A·dropout(x))}. {@code A} is Kaiming-uniform (a = √5, PEFT's
 * default) and {@code B} zero, so the adapted layer starts exactly at the base layer. The rank-r path is computed as
 * two thin products and never forms {@code B·A}.
 */
public final class LoraLayer implements AdapterLayer, AdditiveAdapter {

    public static final String A_KEY = AdapterArrays.LORA_A;
    public static final String B_KEY = AdapterArrays.LORA_B;

    private final NDArray loraA;
    private final NDArray loraB;
    private final float scaling;
    private final float dropout;

    LoraLayer(NDArray loraA, NDArray loraB, double scaling, double dropout) {
        this.loraA = loraA;
        this.loraB = loraB;
        this.scaling = (float) scaling;
        this.dropout = (float) dropout;
        loraA.setRequiresGradient(true);
        loraB.setRequiresGradient(true);
    }

    /** A fresh layer for a {@code (dOut, dIn)} weight, its randomness drawn from {@code random}. */
    public static LoraLayer initialize(NDManager manager, int dIn, int dOut, LoraConfig config, Random random) {
        return new LoraLayer(AdapterArrays.kaimingUniform(manager, random, config.rank(), dIn),
                manager.zeros(new Shape(dOut, config.rank())),
                config.scaling(), config.dropout());
    }

    /** A layer with given factors, e.g. imported from a PEFT file; the arrays become this layer's. */
    public static LoraLayer of(NDArray loraA, NDArray loraB, LoraConfig config) {
        return new LoraLayer(loraA, loraB, config.scaling(), config.dropout());
    }

    public NDArray loraA() {
        return loraA;
    }

    public NDArray loraB() {
        return loraB;
    }

    @Override
    public Map<String, NDArray> factors() {
        return AdapterArrays.loraPair(loraA, loraB);
    }

    @Override
    public NDArray forward(NDArray x, NDArray weight, NDArray bias, boolean training) {
        NDArray base = Linear.linear(x, weight, bias).singletonOrThrow();
        NDArray dropped = DropoutMasks.dropout(x, dropout, training);
        NDArray down = Linear.linear(dropped, ComputeTypes.castLike(loraA, x)).singletonOrThrow();
        return AdapterArrays.addLowRank(base, down, loraB, scaling);
    }

    @Override
    public NDArray delta(NDArray x, NDArray weight, NDArray frozen) {
        NDArray down = Linear.linear(x, ComputeTypes.castLike(loraA, x)).singletonOrThrow();
        NDArray up = Linear.linear(down, ComputeTypes.castLike(loraB, x)).singletonOrThrow();
        return TorchArrays.scaleInPlace(up, scaling);
    }

    @Override
    public Optional<LowRank> onInput() {
        return Optional.of(new LowRank(loraA, loraB, scaling));
    }

    @Override
    public Optional<Map<String, NDArray>> peftTensors(NDArray frozenWeight, NDManager scope) {
        return Optional.of(factors());
    }

    @Override
    public NDArray effectiveWeight(NDArray frozenWeight, NDManager scope) {
        AdapterArrays.borrow(scope, frozenWeight, loraB);
        return frozenWeight.add(TorchArrays.scale(loraB.matMul(loraA), scaling));
    }
}
