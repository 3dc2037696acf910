package dev.adapterloop.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Mixed precision as PyTorch's autocast does it: weights stay in fp32 (adapters train fp32 master copies, merges stay
 * exact) and are cast to the activations' type where they meet them; LayerNorm, softmax and the pooled head run in
 * fp32, where fp16's 10-bit mantissa and 65,504 range would lose or overflow.
 */
public final class ComputeTypes {

    private ComputeTypes() {
    }

    /** FLOAT32 or FLOAT16; BF16 is refused because DJL 0.35's PyTorch engine aborts the JVM on it. */
    public static DataType require(DataType type) {
        if (type != DataType.FLOAT32 && type != DataType.FLOAT16) {
            throw new IllegalArgumentException("compute type must be FLOAT32 or FLOAT16, got " + type);
        }
        return type;
    }

    /**
     * {@code array} in {@code like}'s data type. The cast is differentiable, so gradients reach an fp32 original, and
     * its result is attached to {@code like}'s manager (the step's), not to the original's (the model's), which
     * would otherwise keep one cast per step.
     */
    public static NDArray castLike(NDArray array, NDArray like) {
        if (array.getDataType() == like.getDataType()) {
            return array;
        }
        NDArray cast = array.toType(like.getDataType(), false);
        cast.attach(like.getManager());
        return cast;
    }

    /** {@code array} in fp32 (for numerically sensitive ops); the same array when it already is. */
    public static NDArray toFloat32(NDArray array) {
        return array.getDataType() == DataType.FLOAT32 ? array : array.toType(DataType.FLOAT32, false);
    }
}
