package dev.adapterloop.adapters.milora;

import dev.adapterloop.adapters.LoraFactors;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import dev.adapterloop.adapters.AdapterArrays;
import dev.adapterloop.adapters.AdapterLayer;
import java.util.Map;
import java.util.Optional;

/**
 * MiLoRA/PiSSA on one linear layer: {@code h = W_res·x + b0 + s·B·(A·dropout(x))}. At init {@code B} and {@code A}
 * hold r singular components of W0 (split as {@code √(σ/s)} on each side) and {@code W_res} the others, so
 * {@code W_res + s·B·A = W0}. The layer keeps {@code W_res} itself and ignores (never modifies) the frozen weight it
 * is handed; it also keeps {@code A_0, B_0} to export the training result as a plain rank-2r LoRA.
 */
public final class MiloraLayer implements AdapterLayer {

    private final NDArray residual;
    private final NDArray loraA;
    private final NDArray loraB;
    private final NDArray initialA;
    private final NDArray initialB;
    private final double[] singularValues;
    private final MiloraConfig config;
    private final float scaling;

    private MiloraLayer(NDArray residual, NDArray loraA, NDArray loraB, double[] singularValues,
                        MiloraConfig config) {
        this.residual = residual;
        this.loraA = loraA;
        this.loraB = loraB;
        this.initialA = loraA.duplicate();
        this.initialB = loraB.duplicate();
        this.singularValues = singularValues.clone();
        this.config = config;
        this.scaling = (float) config.scaling();
        loraA.setRequiresGradient(true);
        loraB.setRequiresGradient(true);
    }

    /** Splits {@code frozenWeight} (d_out, d_in) by SVD; every array of the layer goes to {@code manager}. */
    public static MiloraLayer initialize(NDArray frozenWeight, NDManager manager, MiloraConfig config) {
        Shape shape = frozenWeight.getShape();
        if (shape.dimension() != 2) {
            throw new IllegalArgumentException("frozen weight must be 2-D (d_out, d_in), got " + shape);
        }
        int dOut = (int) shape.get(0);
        int dIn = (int) shape.get(1);
        int m = Math.min(dOut, dIn);
        if (config.rank() > m) {
            throw new IllegalArgumentException("rank must be <= min(d_out, d_in) = " + m + " for a " + dOut + "×"
                    + dIn + " weight, got " + config.rank());
        }
        if (frozenWeight.getDataType() != DataType.FLOAT32) {
            throw new IllegalArgumentException("frozen weight must be FLOAT32, got " + frozenWeight.getDataType());
        }
        float[] weight = frozenWeight.toFloatArray();
        SvdInit.Decomposition svd = SvdInit.decompose(weight, dOut, dIn);
        SvdInit.Split split = SvdInit.split(svd, config.components().indices(m, config.rank()), config.scaling());
        int r = config.rank();
        return new MiloraLayer(manager.create(split.residual(), new Shape(dOut, dIn)),
                manager.create(split.loraA(), new Shape(r, dIn)), manager.create(split.loraB(), new Shape(dOut, r)),
                split.singularValues(), config);
    }

    public NDArray loraA() {
        return loraA;
    }

    public NDArray loraB() {
        return loraB;
    }

    /** The frozen residual {@code W_res} (d_out, d_in) that replaces W0 in this layer's forward. */
    public NDArray residual() {
        return residual;
    }

    /** The singular values of the components the adapter was initialised from. */
    public double[] singularValues() {
        return singularValues.clone();
    }

    public MiloraConfig config() {
        return config;
    }

    @Override
    public Map<String, NDArray> factors() {
        return AdapterArrays.loraPair(loraA, loraB);
    }

    @Override
    public NDArray forward(NDArray x, NDArray weight, NDArray bias, boolean training) {
        NDArray base = Linear.linear(x, residual, bias).singletonOrThrow();
        NDArray dropped = Dropout.dropout(x, (float) config.dropout(), training).singletonOrThrow();
        NDArray down = Linear.linear(dropped, loraA).singletonOrThrow();
        NDArray up = Linear.linear(down, loraB).singletonOrThrow();
        return base.add(up.mul(scaling));
    }

    /** {@code W_res + s·B·A}; {@code frozenWeight} is not needed (the layer keeps its residual). */
    @Override
    public NDArray effectiveWeight(NDArray frozenWeight, NDManager scope) {
        AdapterArrays.borrow(scope, residual, loraB);
        return residual.add(loraB.matMul(loraA).mul(scaling));
    }

    /**
     * The weight change relative to the original W0 as a rank-2r LoRA with the same s:
     * {@code s·(B_t·A_t − B_0·A_0) = s·[B_t | −B_0]·[A_t ; A_0]}. The arrays are attached to {@code scope}. Its
     * PEFT config needs {@code r = 2·rank} and {@code lora_alpha = }{@link MiloraConfig#exportedAlpha()} (2α, α·√2
     * with rsLoRA): with the layer's α the outputs change by up to ~1 on MiniLM.
     */
    @Override
    public Optional<LoraFactors> asLora(NDArray frozenWeight, NDManager scope) {
        return Optional.of(exportAsLora(scope));
    }

    public LoraFactors exportAsLora(NDManager scope) {
        AdapterArrays.borrow(scope, loraA, loraB, initialA, initialB);
        NDArray a = NDArrays.concat(new NDList(loraA.stopGradient(), initialA), 0);
        NDArray b = NDArrays.concat(new NDList(loraB.stopGradient(), initialB.neg()), 1);
        return new LoraFactors(a, b, config.scaling());
    }
}
