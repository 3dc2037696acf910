package dev.adapterloop.adapters.dora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import dev.adapterloop.adapters.AdapterArrays;
import dev.adapterloop.adapters.AdapterLayer;
import dev.adapterloop.model.ComputeTypes;
import dev.adapterloop.model.DropoutMasks;
import dev.adapterloop.model.TorchArrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * DoRA on one linear layer: the adapted weight {@code W' = m ⊙ V / ‖V‖} with direction {@code V = W0 + s·B·A} and a
 * trainable magnitude {@code m} per output feature. As in PEFT the layer never forms W' while training; with
 * {@code k = m / ‖V‖} (the norm detached, a constant for autograd as in the paper's §4.3) it computes
 * <pre>
 *   h = base + k ⊙ (W0·x' + s·B·(A·x')) − W0·x'        base = W0·x + b0
 * </pre>
 * where {@code x'} is {@code x} after the adapter's dropout: in evaluation, or without dropout, {@code W0·x' = base − b0}
 * and the layer costs LoRA's two thin products plus forming {@code B·A} once for the norm; with dropout in training it
 * needs a second product with W0, as PEFT's does.
 *
 * <p>Init: {@code A} Kaiming-uniform, {@code B = 0} and {@code m = ‖W0‖} computed by the same operations as the
 * forward's norm, so {@code k} is exactly 1 and the layer starts exactly at the base layer.
 */
public final class DoraLayer implements AdapterLayer {

    /**
     * PEFT's name of the magnitude vector m (d_out) in its files: PEFT ≥ 0.12 keeps m as the {@code weight} of a
     * module but saves it without {@code .weight}, as earlier versions did (peft/utils/save_and_load.py).
     */
    public static final String MAGNITUDE_KEY = "lora_magnitude_vector";

    private final NDArray loraA;
    private final NDArray loraB;
    private final NDArray magnitude;
    private final float scaling;
    private final float dropout;

    private DoraLayer(NDArray loraA, NDArray loraB, NDArray magnitude, double scaling, double dropout) {
        this.loraA = loraA;
        this.loraB = loraB;
        this.magnitude = magnitude;
        this.scaling = (float) scaling;
        this.dropout = (float) dropout;
        loraA.setRequiresGradient(true);
        loraB.setRequiresGradient(true);
        magnitude.setRequiresGradient(true);
    }

    /** A fresh layer for {@code frozenWeight} (d_out, d_in): m is W0's row norms, so the layer starts at W0. */
    public static DoraLayer initialize(NDArray frozenWeight, NDManager manager, DoraConfig config, Random random) {
        int dOut = (int) frozenWeight.getShape().get(0);
        int dIn = (int) frozenWeight.getShape().get(1);
        NDArray loraA = AdapterArrays.kaimingUniform(manager, random, config.rank(), dIn);
        NDArray loraB = manager.zeros(new Shape(dOut, config.rank()));
        NDArray magnitude;
        try (NDManager scope = manager.newSubManager()) {
            // The forward's own norm of V = W0 + s·B·A at B = 0, so that m / ‖V‖ is exactly 1 at the first step.
            NDArray norm = directionNorm(AdapterArrays.copyTo(frozenWeight, scope), loraA, loraB, config.scaling(),
                    scope);
            magnitude = norm.duplicate();
            magnitude.attach(manager);
        }
        return new DoraLayer(loraA, loraB, magnitude, config.scaling(), config.dropout());
    }

    /** A layer with given tensors, e.g. read from a file; the arrays become this layer's. */
    public static DoraLayer of(NDArray loraA, NDArray loraB, NDArray magnitude, DoraConfig config) {
        return new DoraLayer(loraA, loraB, magnitude, config.scaling(), config.dropout());
    }

    public NDArray magnitude() {
        return magnitude;
    }

    @Override
    public Map<String, NDArray> factors() {
        Map<String, NDArray> factors = new LinkedHashMap<>(AdapterArrays.loraPair(loraA, loraB));
        factors.put(MAGNITUDE_KEY, magnitude);
        return factors;
    }

    @Override
    public NDArray forward(NDArray x, NDArray weight, NDArray bias, boolean training) {
        NDManager step = x.getManager();
        NDArray norm = directionNorm(weight, loraA, loraB, scaling, step);
        // k = m / ‖V‖ carries m's gradient; attached to the step so that no step leaves an array on the adapter's.
        NDArray ratio = magnitude.div(norm);
        ratio.attach(step);
        NDArray k = ComputeTypes.castLike(ratio, x);

        NDArray base = Linear.linear(x, weight, bias).singletonOrThrow();
        boolean dropping = training && dropout > 0;
        NDArray dropped = dropping ? DropoutMasks.dropout(x, dropout, true) : x;
        NDArray direction;
        if (dropping) {
            direction = Linear.linear(dropped, weight).singletonOrThrow();
        } else {
            direction = bias == null ? base : base.sub(bias);
        }
        NDArray down = Linear.linear(dropped, ComputeTypes.castLike(loraA, x)).singletonOrThrow();
        NDArray up = Linear.linear(down, ComputeTypes.castLike(loraB, x)).singletonOrThrow();
        // In place on up (no operator keeps it); never on direction or base, which are read again below.
        NDArray adapted = TorchArrays.scaleInPlace(up, scaling).addi(direction);
        // k ⊙ (W0·x' + s·B·A·x') − W0·x' + base: exactly base when k = 1 and B = 0.
        return adapted.mul(k).subi(direction).addi(base);
    }

    /**
     * ‖W0 + s·B·A‖ per output row, in fp32 or wider and detached from autograd (the paper's and PEFT's choice: the gradient
     * reaches m and the direction, not the norm), attached to {@code scope}.
     */
    private static NDArray directionNorm(NDArray weight, NDArray loraA, NDArray loraB, double scaling,
                                         NDManager scope) {
        NDArray a = loraA.stopGradient();
        a.attach(scope);
        NDArray b = loraB.stopGradient();
        b.attach(scope);
        NDArray w = weight.stopGradient();
        w.attach(scope);
        // fp16 activations hand over an fp16 W0 (as PEFT under autocast); its norm is still summed in fp32.
        NDArray w0 = w.getDataType() == DataType.FLOAT16 ? w.toType(DataType.FLOAT32, false) : w;
        NDArray direction = TorchArrays.scaleInPlace(b.matMul(a), scaling).addi(w0);
        return direction.norm(new int[] {1});
    }

    /** {@code m ⊙ V / ‖V‖} row by row, attached to {@code scope}. */
    @Override
    public NDArray effectiveWeight(NDArray frozenWeight, NDManager scope) {
        NDArray w = AdapterArrays.copyTo(frozenWeight, scope).toType(DataType.FLOAT32, false);
        NDArray b = AdapterArrays.copyTo(loraB, scope);
        NDArray direction = TorchArrays.scaleInPlace(b.matMul(AdapterArrays.copyTo(loraA, scope)), scaling).addi(w);
        NDArray ratio = AdapterArrays.copyTo(magnitude, scope).div(direction.norm(new int[] {1}));
        return direction.mul(ratio.expandDims(1));
    }

    /** PEFT's DoRA tensors are this layer's own. */
    @Override
    public Optional<Map<String, NDArray>> peftTensors(NDArray frozenWeight, NDManager scope) {
        return Optional.of(factors());
    }
}
