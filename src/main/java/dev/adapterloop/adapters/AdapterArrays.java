package dev.adapterloop.adapters;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Random;

/** Array helpers every adapter method needs: scoped computation and PEFT's default initialisation. */
public final class AdapterArrays {

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
}
