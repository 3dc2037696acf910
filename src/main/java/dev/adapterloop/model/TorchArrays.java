package dev.adapterloop.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Replacing an array's contents in place without a dangling pointer.
 *
 * <p>On CPU, DJL's PyTorch engine builds an array created from Java data ({@code manager.create(float[], …)}) over a
 * direct {@code ByteBuffer} without copying, and only that array object keeps the buffer reachable. {@code intern}
 * moves the tensor handle to another array object and closes the source: the buffer becomes garbage while the tensor
 * still points into it. After the next garbage collection the tensor reads freed memory, reused by whatever is
 * allocated next (measured: a 384×384 weight of 1.5s read back as 7s after one {@code System.gc()}). Copying into
 * PyTorch-owned memory first makes the replacement own its storage.
 *
 * <p>The same holds for DJL's arithmetic with a Java number ({@code x.mul(0.125)}): it creates the scalar over a Java
 * buffer and closes it as soon as the op returns, while autograd keeps that scalar for the backward pass. A garbage
 * collection between forward and backward then hands the backward freed memory: measured, the gradient of
 * {@code x.mul(3.0)} came back as 6.37 once and 0 four times in five tries. Differentiable code multiplies by a
 * scalar through {@link #scale} instead.
 */
public final class TorchArrays {

    private TorchArrays() {
    }

    /** {@code target.intern(source)}, with {@code source} first copied into memory PyTorch owns; consumes source. */
    public static void replaceContents(NDArray target, NDArray source) {
        NDArray owned = source.duplicate();
        source.close();
        target.intern(owned);
    }

    /**
     * {@code x·factor}, with the factor a 0-d array in memory PyTorch owns and in {@code x}'s type (so fp16
     * activations stay fp16): safe to differentiate whenever the backward runs.
     */
    public static NDArray scale(NDArray x, double factor) {
        try (NDArray scalar = scalar(x, factor)) {
            return x.mul(scalar);
        }
    }

    /**
     * {@link #scale} in place, returning {@code x}: for an intermediate result that no operator keeps for its
     * backward pass (the output of a matrix product, a sum), where a new array would only cost an allocation.
     */
    public static NDArray scaleInPlace(NDArray x, double factor) {
        try (NDArray scalar = scalar(x, factor)) {
            return x.muli(scalar);
        }
    }

    private static NDArray scalar(NDArray like, double factor) {
        return like.getManager().full(new Shape(), (float) factor, like.getDataType(), like.getDevice());
    }
}
