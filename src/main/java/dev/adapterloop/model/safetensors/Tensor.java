package dev.adapterloop.model.safetensors;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * One named tensor: element type, shape and its elements as little-endian bytes (row-major), as safetensors stores
 * them. Immutable: the shape is copied and the data is held as a read-only view, so a tensor can share the buffer it
 * was read from without copying it.
 */
public record Tensor(String name, DType dtype, long[] shape, ByteBuffer data) {

    public Tensor {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("tensor name must not be blank, got '" + name + "'");
        }
        Objects.requireNonNull(dtype, () -> "tensor '" + name + "': dtype");
        Objects.requireNonNull(shape, () -> "tensor '" + name + "': shape");
        Objects.requireNonNull(data, () -> "tensor '" + name + "': data");
        shape = shape.clone();
        long bytes = byteCount(shape, dtype);
        if (data.remaining() != bytes) {
            throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(shape) + " of "
                    + dtype + " needs " + bytes + " bytes, got " + data.remaining());
        }
        data = data.slice().asReadOnlyBuffer();
    }

    /** An F32 tensor holding {@code values} in row-major order. */
    public static Tensor ofFloats(String name, long[] shape, float[] values) {
        Objects.requireNonNull(values, "values");
        long count = elementCount(shape);
        if (values.length != count) {
            throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(shape) + " holds "
                    + count + " values, got " + values.length);
        }
        if (values.length > Integer.MAX_VALUE / Float.BYTES) {
            throw new IllegalArgumentException("tensor '" + name + "': " + values.length
                    + " floats do not fit in one 2 GiB buffer");
        }
        ByteBuffer data = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        data.asFloatBuffer().put(values);
        return new Tensor(name, DType.F32, shape, data);
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** A fresh little-endian view of the elements; reading it does not move anyone else's position. */
    @Override
    public ByteBuffer data() {
        return data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    public long elementCount() {
        return elementCount(shape);
    }

    /**
     * The elements as floats. F16 and BF16 are widened here, in Java, because BF16 arrays must never reach DJL
     * (they abort the JVM); integer tensors are refused rather than silently converted.
     */
    public float[] toFloats() {
        long count = elementCount();
        if (count > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("tensor '" + name + "' has " + count + " elements, too many for a float[]");
        }
        float[] out = new float[(int) count];
        ByteBuffer in = data();
        switch (dtype) {
            case F32 -> in.asFloatBuffer().get(out);
            case F16 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = Float.float16ToFloat(in.getShort());
                }
            }
            case BF16 -> {
                // bfloat16 is the upper half of an IEEE float32
                for (int i = 0; i < out.length; i++) {
                    out[i] = Float.intBitsToFloat((in.getShort() & 0xFFFF) << 16);
                }
            }
            default -> throw new IllegalStateException("tensor '" + name + "' has dtype " + dtype
                    + "; toFloats() needs F32, F16 or BF16");
        }
        return out;
    }

    /** Product of the dimensions; rejects negative dimensions and overflow. */
    public static long elementCount(long[] shape) {
        Objects.requireNonNull(shape, "shape");
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 0) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has negative dimension "
                        + shape[i] + " at index " + i);
            }
            try {
                count = Math.multiplyExact(count, shape[i]);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape)
                        + " has more elements than a long holds");
            }
        }
        return count;
    }

    /** Bytes that {@code shape} elements of {@code dtype} take; rejects bad shapes and overflow. */
    static long byteCount(long[] shape, DType dtype) {
        try {
            return Math.multiplyExact(elementCount(shape), (long) dtype.byteSize());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " of " + dtype
                    + " needs more bytes than a long holds");
        }
    }

    // Records compare arrays by identity; tensors are equal when their name, type, shape and bytes are.
    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && name.equals(t.name) && dtype == t.dtype && Arrays.equals(shape, t.shape)
                && data.equals(t.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dtype, Arrays.hashCode(shape));
    }

    @Override
    public String toString() {
        return "Tensor[" + name + ", " + dtype + ", " + Arrays.toString(shape) + "]";
    }
}
