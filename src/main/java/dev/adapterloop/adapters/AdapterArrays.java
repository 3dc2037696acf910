package dev.adapterloop.adapters;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import dev.adapterloop.model.ComputeTypes;
import dev.adapterloop.model.TorchArrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/** Array helpers every adapter method needs: scoped computation and PEFT's default initialisation. */
public final class AdapterArrays {

    /** PEFT's names for a low-rank pair: {@code A} (r, d_in) and {@code B} (d_out, r). */
    public static final String LORA_A = "lora_A.weight";
    public static final String LORA_B = "lora_B.weight";

    private AdapterArrays() {
    }

    /**
     * Temporarily attaches arrays to {@code scope} so that results of ops with them as first operand land there;
     * they return to their own manager when the scope closes. An array already borrowed by this scope is left alone:
     * a second {@code tempAttach} to the same scope would make the scope its return manager and lose it on close.
     */
    public static void borrow(NDManager scope, NDArray... arrays) {
        for (NDArray array : arrays) {
            if (array.getManager() != scope) {
                array.tempAttach(scope);
            }
        }
    }

    /** A detached copy of {@code array} owned by {@code scope}. */
    public static NDArray copyTo(NDArray array, NDManager scope) {
        return scope.create(array.toByteBuffer(), array.getShape(), array.getDataType());
    }

    /**
     * Kaiming-uniform with a = √5 (PyTorch's {@code nn.Linear} and PEFT's LoRA default): bound = gain·√(3/fan_in)
     * with gain = √(2/(1+a²)) = √(1/3), i.e. {@code 1/√fan_in}.
     */
    public static float kaimingUniform(Random random, int fanIn) {
        double bound = 1.0 / Math.sqrt(fanIn);
        return (float) ((random.nextDouble() * 2 - 1) * bound);
    }

    /** A (rows, fanIn) matrix filled by {@link #kaimingUniform(Random, int)}, as PEFT initialises {@code lora_A}. */
    public static NDArray kaimingUniform(NDManager manager, Random random, int rows, int fanIn) {
        float[] values = new float[rows * fanIn];
        for (int i = 0; i < values.length; i++) {
            values[i] = kaimingUniform(random, fanIn);
        }
        return manager.create(values, new Shape(rows, fanIn));
    }

    /**
     * {@code into + s·down·Bᵀ}, the rank-r path's up-projection added to {@code into}, as one product: libtorch's
     * addmm takes {@code into} as a full-size bias, copies it into the result and accumulates the product there. The
     * scale goes onto {@code down} (T·r numbers instead of T·d_out), so no pass scales the product and none adds it,
     * forward or backward (profiled: two passes over the output per adapted layer before). {@code into} is read,
     * never changed, so autograd may keep it. Every intermediate is {@code down}'s, so it goes with the step's
     * arrays (an array derived from B would belong to the adapter's manager and outlive the step).
     *
     * @param down the down-projection {@code A·x}, (T, r)
     * @param loraB (d_out, r)
     */
    public static NDArray addLowRank(NDArray into, NDArray down, NDArray loraB, double scaling) {
        NDArray scaledDown = TorchArrays.scale(down, scaling);
        return Linear.linear(scaledDown, ComputeTypes.castLike(loraB, down), into).singletonOrThrow();
    }

    /** The {@code lora_A.weight} / {@code lora_B.weight} pair in that order, the factors of every low-rank layer. */
    public static Map<String, NDArray> loraPair(NDArray loraA, NDArray loraB) {
        Map<String, NDArray> factors = new LinkedHashMap<>();
        factors.put(LORA_A, loraA);
        factors.put(LORA_B, loraB);
        return factors;
    }
}
