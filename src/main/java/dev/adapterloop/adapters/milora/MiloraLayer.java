package dev.adapterloop.adapters.milora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import dev.adapterloop.adapters.AdapterArrays;
import dev.adapterloop.adapters.AdapterLayer;
import dev.adapterloop.adapters.LoraFactors;
import dev.adapterloop.model.AdditiveAdapter;
import dev.adapterloop.model.ComputeTypes;
import dev.adapterloop.model.DropoutMasks;
import dev.adapterloop.model.TorchArrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * MiLoRA/PiSSA on one linear layer: {@code h = W_res·x + b0 + s·B·(A·dropout(x))}. At init {@code B} and {@code A}
 * hold r singular components of W0 (split as {@code √(σ/s)} on each side) and {@code W_res = W0 − s·B0·A0} the
 * others ({@link SvdInit#residual}). The layer keeps {@code W_res} itself and ignores (never modifies) the frozen
 * weight it is handed; it also keeps {@code A_0, B_0}, to export the training result as a plain rank-2r LoRA and to
 * rebuild {@code W_res} exactly when the layer is restored from a file.
 */
public final class MiloraLayer implements AdapterLayer, AdditiveAdapter {

    /** Name of A_0, the initial A, in the project's own adapter format: (r, d_in). */
    public static final String INIT_A_KEY = "lora_A_init.weight";
    /** Name of B_0, the initial B, in the project's own adapter format: (d_out, r). */
    public static final String INIT_B_KEY = "lora_B_init.weight";

    private final NDArray residual;
    private final NDArray loraA;
    private final NDArray loraB;
    private final NDArray initialA;
    private final NDArray initialB;
    private final double[] singularValues;
    private final MiloraConfig config;
    private final float scaling;

    private MiloraLayer(NDArray residual, NDArray loraA, NDArray loraB, NDArray initialA, NDArray initialB,
                        double[] singularValues, MiloraConfig config) {
        this.residual = residual;
        this.loraA = loraA;
        this.loraB = loraB;
        this.initialA = initialA;
        this.initialB = initialB;
        this.singularValues = singularValues.clone();
        this.config = config;
        this.scaling = (float) config.scaling();
        loraA.setRequiresGradient(true);
        loraB.setRequiresGradient(true);
    }

    /** Splits {@code frozenWeight} (d_out, d_in) by SVD; every array of the layer goes to {@code manager}. */
    public static MiloraLayer initialize(NDArray frozenWeight, NDManager manager, MiloraConfig config) {
        Shape shape = checkedShape(frozenWeight, config);
        int dOut = (int) shape.get(0);
        int dIn = (int) shape.get(1);
        int m = Math.min(dOut, dIn);
        float[] weight = frozenWeight.toFloatArray();
        SvdInit.Decomposition svd = SvdInit.decompose(weight, dOut, dIn);
        SvdInit.Split split = SvdInit.split(svd, config.components().indices(m, config.rank()), config.scaling());
        int r = config.rank();
        float[] residual = SvdInit.residual(weight, split.loraB(), split.loraA(), config.scaling(), dOut, dIn);
        NDArray a = manager.create(split.loraA(), new Shape(r, dIn));
        NDArray b = manager.create(split.loraB(), new Shape(dOut, r));
        return new MiloraLayer(manager.create(residual, new Shape(dOut, dIn)), a, b, a.duplicate(), b.duplicate(),
                split.singularValues(), config);
    }

    /**
     * A trained layer from its stored factors (see {@link #storedTensors()}): {@code W_res} is recomputed from
     * {@code frozenWeight} and the initial factors exactly as {@link #initialize} computed it, so the layer's outputs
     * are bit for bit those of the layer that was stored, provided {@code frozenWeight} is the same W0. No SVD runs.
     * The arrays become the layer's; the residual goes to {@code manager}.
     *
     * @param loraA trained A (r, d_in)
     * @param loraB trained B (d_out, r)
     * @param initialA A_0 (r, d_in)
     * @param initialB B_0 (d_out, r)
     */
    public static MiloraLayer restore(NDArray frozenWeight, NDArray loraA, NDArray loraB, NDArray initialA,
                                      NDArray initialB, MiloraConfig config, NDManager manager) {
        Shape shape = checkedShape(frozenWeight, config);
        int dOut = (int) shape.get(0);
        int dIn = (int) shape.get(1);
        int r = config.rank();
        for (NDArray a : List.of(loraA, initialA)) {
            requireShape(a, new Shape(r, dIn));
        }
        for (NDArray b : List.of(loraB, initialB)) {
            requireShape(b, new Shape(dOut, r));
        }
        float[] a0 = initialA.toFloatArray();
        float[] b0 = initialB.toFloatArray();
        float[] residual = SvdInit.residual(frozenWeight.toFloatArray(), b0, a0, config.scaling(), dOut, dIn);
        return new MiloraLayer(manager.create(residual, shape), loraA, loraB, initialA, initialB,
                singularValues(a0, b0, dOut, dIn, config), config);
    }

    /** B0[:, k] = u_k·√(σ_k/s) and A0[k, :] = √(σ_k/s)·v_k with unit u_k, v_k: σ_k = s·‖B0[:, k]‖·‖A0[k, :]‖. */
    private static double[] singularValues(float[] a0, float[] b0, int dOut, int dIn, MiloraConfig config) {
        int r = config.rank();
        double[] singularValues = new double[r];
        for (int k = 0; k < r; k++) {
            double columnNorm = 0;
            for (int i = 0; i < dOut; i++) {
                columnNorm += (double) b0[i * r + k] * b0[i * r + k];
            }
            double rowNorm = 0;
            for (int j = 0; j < dIn; j++) {
                rowNorm += (double) a0[k * dIn + j] * a0[k * dIn + j];
            }
            singularValues[k] = config.scaling() * Math.sqrt(columnNorm) * Math.sqrt(rowNorm);
        }
        return singularValues;
    }

    /**
     * Takes the stored factors as {@link AdapterLayer#loadStored} does, then recomputes {@code W_res} from
     * {@code frozenWeight} and the stored initial factors exactly as {@link #restore} does: a warm-started layer keeps
     * the champion's split of W0 (not this layer's own SVD, which may differ in the last bit on another machine), so
     * its outputs and its later exports are those of the stored layer.
     */
    @Override
    public void loadStored(NDArray frozenWeight, Map<String, NDArray> stored) {
        Shape shape = checkedShape(frozenWeight, config);
        if (!shape.equals(residual.getShape())) {
            throw new IllegalArgumentException("frozen weight has shape " + shape + ", this layer's residual "
                    + residual.getShape());
        }
        AdapterLayer.super.loadStored(frozenWeight, stored);
        int dOut = (int) shape.get(0);
        int dIn = (int) shape.get(1);
        float[] a0 = initialA.toFloatArray();
        float[] b0 = initialB.toFloatArray();
        float[] values = SvdInit.residual(frozenWeight.toFloatArray(), b0, a0, config.scaling(), dOut, dIn);
        TorchArrays.replaceContents(residual, residual.getManager().create(values, shape));
        System.arraycopy(singularValues(a0, b0, dOut, dIn, config), 0, singularValues, 0, singularValues.length);
    }

    private static Shape checkedShape(NDArray frozenWeight, MiloraConfig config) {
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
        return shape;
    }

    private static void requireShape(NDArray array, Shape expected) {
        if (!array.getShape().equals(expected)) {
            throw new IllegalArgumentException("MiLoRA factor must have shape " + expected + ", got "
                    + array.getShape());
        }
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

    /** The trained factors and the initial ones, from which {@link #restore} rebuilds the residual. */
    @Override
    public Map<String, NDArray> storedTensors() {
        Map<String, NDArray> stored = new LinkedHashMap<>(factors());
        stored.put(INIT_A_KEY, initialA);
        stored.put(INIT_B_KEY, initialB);
        return stored;
    }

    @Override
    public NDArray forward(NDArray x, NDArray weight, NDArray bias, boolean training) {
        NDArray base = Linear.linear(x, ComputeTypes.castLike(residual, x), bias).singletonOrThrow();
        NDArray dropped = DropoutMasks.dropout(x, (float) config.dropout(), training);
        NDArray down = Linear.linear(dropped, ComputeTypes.castLike(loraA, x)).singletonOrThrow();
        return AdapterArrays.addLowRank(base, down, loraB, scaling);
    }

    /**
     * {@code s·B·A·x − s·B0·A0·x}: with {@code W_res = W0 − s·B0·A0} the layer's output minus {@code W0·x + b0}, up to
     * the one rounding of W_res, in inference; the residual itself is not read.
     */
    @Override
    public NDArray delta(NDArray x, NDArray weight, NDArray frozen) {
        NDArray trained = Linear.linear(Linear.linear(x, ComputeTypes.castLike(loraA, x)).singletonOrThrow(),
                ComputeTypes.castLike(loraB, x)).singletonOrThrow();
        NDArray initial = Linear.linear(Linear.linear(x, ComputeTypes.castLike(initialA, x)).singletonOrThrow(),
                ComputeTypes.castLike(initialB, x)).singletonOrThrow();
        return TorchArrays.scaleInPlace(trained.subi(initial), scaling);
    }

    /** {@code W_res + s·B·A}; {@code frozenWeight} is not needed (the layer keeps its residual). */
    @Override
    public NDArray effectiveWeight(NDArray frozenWeight, NDManager scope) {
        AdapterArrays.borrow(scope, residual, loraB);
        return residual.add(TorchArrays.scale(loraB.matMul(loraA), scaling));
    }

    /**
     * The weight change relative to the original W0 as a rank-2r LoRA with the same s:
     * {@code s·(B_t·A_t − B_0·A_0) = s·[B_t | −B_0]·[A_t ; A_0]}. The arrays are attached to {@code scope}. Its
     * PEFT config needs {@code r = 2·rank} and {@code lora_alpha = }{@link MiloraConfig#exportedAlpha()} (2α, α·√2
     * with rsLoRA): with the layer's α the outputs change by up to ~1 on MiniLM.
     */
    @Override
    public Optional<Map<String, NDArray>> peftTensors(NDArray frozenWeight, NDManager scope) {
        return Optional.of(exportAsLora(scope).tensors());
    }

    public LoraFactors exportAsLora(NDManager scope) {
        AdapterArrays.borrow(scope, loraA, loraB, initialA, initialB);
        NDArray a = NDArrays.concat(new NDList(loraA.stopGradient(), initialA), 0);
        NDArray b = NDArrays.concat(new NDList(loraB.stopGradient(), initialB.neg()), 1);
        return new LoraFactors(a, b, config.scaling());
    }
}
