package dev.adapterloop.adapters.lorma;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import dev.adapterloop.adapters.AdapterArrays;
import dev.adapterloop.adapters.AdapterLayer;
import dev.adapterloop.adapters.lorma.LormaConfig.Placement;
import dev.adapterloop.model.ComputeTypes;
import dev.adapterloop.model.DropoutMasks;
import dev.adapterloop.model.TorchArrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * LoRMA_π on one linear layer: the multiplier {@code M = s·π(B·A)} with {@code B} (n, r), {@code A} (r, n), where
 * {@code π} rotates row {@code i} cyclically by {@code i}: {@code π(M)[i, j] = M[i, (j − i) mod n]}.
 * <ul>
 *   <li>pre, n = d_out: {@code W = M·W0}; forward {@code u = W0·x; h = M·u + b0};</li>
 *   <li>post, n = d_in: {@code W = W0·M}; forward {@code h = W0·(M·x) + b0}.</li>
 * </ul>
 * {@code B·A} must be formed before {@code π}, so a step costs {@code O(n²·(r + batch))}.
 *
 * <p>{@code π} is one {@code gather} along axis 1 with a constant int64 index {@code idx[i][j] = (j − i) mod n},
 * built once per layer in the adapter's manager (8·n² bytes: 1.2 MB for n = 384, 19 MB for n = 1536).
 *
 * <p>Dropout, as in {@link LormaPlusLayer}, drops the adapter's input on its deviation from the identity only:
 * {@code y + (M − I)·dropout(y)} with {@code y} the vector M multiplies ({@code W0·x} pre, {@code x} post); in eval
 * mode, or with dropout 0, this is {@code M·y}. (Dropping {@code y} in {@code M·y} itself would drop the base signal
 * too, since M starts at I.)
 *
 * <p>Init (paper): column 0 of {@code B} is 1, the others Kaiming-uniform (fan-in r); {@code A = 0} except
 * {@code A[0,0] = 1}; then both are divided by {@code √s}. {@code B·A} has ones in column 0 only, {@code π} moves
 * them onto the diagonal, and {@code s·π(B·A) = I}: the layer starts at the base layer (up to float rounding).
 * The weight change is near full rank (at most rank(W0)), so it cannot be exported as a LoRA.
 */
public final class LormaPiLayer implements AdapterLayer {

    public static final String A_KEY = "lora_A.weight";
    public static final String B_KEY = "lora_B.weight";

    private final NDArray loraA;
    private final NDArray loraB;
    private final NDArray rotation;
    private final int n;
    private final float scaling;
    private final float dropout;
    private final Placement placement;

    LormaPiLayer(NDArray loraA, NDArray loraB, double scaling, double dropout, Placement placement) {
        this.loraA = loraA;
        this.loraB = loraB;
        this.n = (int) loraB.getShape().get(0);
        this.scaling = (float) scaling;
        this.dropout = (float) dropout;
        this.placement = placement;
        this.rotation = rotationIndex(loraB.getManager(), n);
        loraA.setRequiresGradient(true);
        loraB.setRequiresGradient(true);
    }

    /**
     * A fresh layer whose multiplier is n×n ({@code n} = d_out pre, d_in post; see {@link Placement#dimension}),
     * its randomness drawn from {@code random}.
     */
    public static LormaPiLayer initialize(NDManager manager, int n, LormaConfig config, Random random) {
        int r = config.rank();
        float invSqrtS = (float) (1.0 / Math.sqrt(config.scaling()));
        float[] b = new float[n * r];
        for (int i = 0; i < n; i++) {
            b[i * r] = invSqrtS;
            for (int k = 1; k < r; k++) {
                b[i * r + k] = AdapterArrays.kaimingUniform(random, r) * invSqrtS;
            }
        }
        float[] a = new float[r * n];
        a[0] = invSqrtS;
        return new LormaPiLayer(manager.create(a, new Shape(r, n)), manager.create(b, new Shape(n, r)),
                config.scaling(), config.dropout(), config.placement());
    }

    /**
     * A layer with given factors, A (r, n) and B (n, r); the arrays become this layer's and the rotation index is
     * created in B's manager.
     */
    public static LormaPiLayer of(NDArray loraA, NDArray loraB, LormaConfig config) {
        return new LormaPiLayer(loraA, loraB, config.scaling(), config.dropout(), config.placement());
    }

    /** {@code idx[i][j] = (j − i) mod n}: gathering row i of M at idx[i] gives row i of π(M). */
    static NDArray rotationIndex(NDManager manager, int n) {
        long[] idx = new long[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                idx[i * n + j] = Math.floorMod(j - i, n);
            }
        }
        return manager.create(idx, new Shape(n, n));
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
        // B·A lands on B's (the adapter's) manager: move it to x's at once so the step leaves nothing there.
        NDArray product = loraB.matMul(loraA);
        product.attach(x.getManager());
        // Formed in fp32 (the factors' type), then cast to the activations' type where they differ.
        NDArray m = ComputeTypes.castLike(TorchArrays.scale(rotate(product), scaling), x);
        if (placement == Placement.PRE) {
            NDArray u = Linear.linear(x, weight).singletonOrThrow();
            if (!training || dropout == 0f) {
                return Linear.linear(u, m, bias).singletonOrThrow();
            }
            NDArray out = multiply(m, u);
            return bias == null ? out : out.add(bias);
        }
        NDArray v = !training || dropout == 0f ? Linear.linear(x, m).singletonOrThrow() : multiply(m, x);
        return Linear.linear(v, weight, bias).singletonOrThrow();
    }

    /** {@code M·y} for the rows of {@code y} in training: {@code y + (M − I)·dropout(y)}. */
    private NDArray multiply(NDArray m, NDArray y) {
        NDArray deviation = m.sub(y.getManager().eye(n, n, 0, m.getDataType()));
        NDArray dropped = DropoutMasks.dropout(y, dropout, true);
        return y.add(Linear.linear(dropped, deviation).singletonOrThrow());
    }

    /** {@code s·π(B·A)·W0} (pre) or {@code W0·s·π(B·A)} (post), attached to {@code scope}. */
    @Override
    public NDArray effectiveWeight(NDArray frozenWeight, NDManager scope) {
        NDArray b = AdapterArrays.copyTo(loraB, scope);
        NDArray a = AdapterArrays.copyTo(loraA, scope);
        NDArray m = TorchArrays.scale(rotate(b.matMul(a)), scaling);
        if (placement == Placement.PRE) {
            return m.matMul(frozenWeight);
        }
        // A scope copy of W0 as first operand: the product lands in the scope, never in the base model's manager.
        return AdapterArrays.copyTo(frozenWeight, scope).matMul(m);
    }

    /** π(M), attached to M's manager. */
    NDArray rotate(NDArray m) {
        return m.gather(rotation, 1);
    }

    /** None: after training the weight change is near full rank (docs/methods.md, property 6). */
    @Override
    public Optional<Map<String, NDArray>> peftTensors(NDArray frozenWeight, NDManager scope) {
        return Optional.empty();
    }
}
