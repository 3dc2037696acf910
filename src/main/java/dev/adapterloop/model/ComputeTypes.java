package dev.adapterloop.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Mixed precision as PyTorch's autocast does it: weights stay in fp32 (adapters train fp32 master copies, merges stay
 * exact) and are cast to the activations' type where they meet them; LayerNorm, softmax and the pooled head run in
 * fp32, where fp16's 10-bit mantissa and 65,504 range would lose or overflow.
 */
public final class ComputeTypes {

    private ComputeTypes() {
    }

    /**
     * FLOAT32, FLOAT16, or FLOAT64 (for numerical checks: gradients against finite differences through a whole
     * model); BF16 is refused because DJL 0.35's PyTorch engine aborts the JVM on it.
     */
    public static DataType require(DataType type) {
        if (type != DataType.FLOAT32 && type != DataType.FLOAT16 && type != DataType.FLOAT64) {
            throw new IllegalArgumentException("compute type must be FLOAT32, FLOAT16 or FLOAT64, got " + type);
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
        if (widens(array.getDataType(), like.getDataType())) {
            return widen(array, like.getDataType(), like.getManager());
        }
        NDArray cast = array.toType(like.getDataType(), false);
        cast.attach(like.getManager());
        return cast;
    }

    /**
     * {@code array} in the wider floating type {@code type}, as a differentiable operation. DJL's {@code toType}
     * runs under libtorch's {@code NoGradGuard} (its JNI {@code torchTo}), so a cast made with it cuts the backward
     * pass; a product with ones of the wider type promotes instead, and autograd follows it. Narrowing has no such
     * route: see docs/engine.md, "Mixed precision".
     */
    private static NDArray widen(NDArray array, DataType type, NDManager target) {
        int dims = Math.max(1, array.getShape().dimension());
        long[] unit = new long[dims];
        java.util.Arrays.fill(unit, 1L);
        NDArray ones = target.ones(new Shape(unit), type, array.getDevice());
        NDArray wide = ones.mul(array);
        return array.getShape().dimension() == 0 ? wide.reshape(new Shape()) : wide;
    }

    private static boolean widens(DataType from, DataType to) {
        return (from == DataType.FLOAT16 && (to == DataType.FLOAT32 || to == DataType.FLOAT64))
                || (from == DataType.FLOAT32 && to == DataType.FLOAT64);
    }

    /**
     * {@code array} in fp32 (for numerically sensitive ops); the same array when it already is, or when it is fp64
     * (a float64 check must not be narrowed).
     */
    public static NDArray toFloat32(NDArray array) {
        DataType type = array.getDataType();
        if (type == DataType.FLOAT32 || type == DataType.FLOAT64) {
            return array;
        }
        return type == DataType.FLOAT16 ? widen(array, DataType.FLOAT32, array.getManager())
                : array.toType(DataType.FLOAT32, false);
    }
}
