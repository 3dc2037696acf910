package dev.adapterloop.adapters.lorma;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Random;

/** Small array helpers shared by the LoRMA layers. */
final class LormaArrays {

    private LormaArrays() {
    }

    /**
     * A detached copy of {@code array} owned by {@code scope}, so that ops with it as first operand attach their
     * results to {@code scope} and never to the adapter's manager.
     */
    static NDArray copyTo(NDArray array, NDManager scope) {
        return scope.create(array.toByteBuffer(), array.getShape(), array.getDataType());
    }

    /**
     * Kaiming-uniform with a = √5 (PyTorch's {@code nn.Linear} and PEFT's LoRA default): bound = gain·√(3/fan_in)
     * with gain = √(2/(1+a²)) = √(1/3), i.e. {@code 1/√fan_in}.
     */
    static float kaimingUniform(Random random, int fanIn) {
        double bound = 1.0 / Math.sqrt(fanIn);
        return (float) ((random.nextDouble() * 2 - 1) * bound);
    }
}
