package dev.adapterloop.model.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * A TensorProto: ONNX element type, dims and the elements as little-endian bytes. FLOAT and INT64 values are always
 * present (whether the file stored them in {@code raw_data} or in a typed field); other types keep only
 * {@code raw_data}, because nothing here reads their values.
 *
 * @param name empty for the value of a Constant node, which the graph names by the node's output instead
 */
public record OnnxTensor(String name, int dataType, long[] dims, ByteBuffer data) {

    public static final int FLOAT = 1;
    public static final int INT64 = 7;

    public OnnxTensor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dims, () -> "tensor '" + name + "': dims");
        Objects.requireNonNull(data, () -> "tensor '" + name + "': data");
        dims = dims.clone();
        long count = elementCount(name, dims);
        int size = elementSize(dataType);
        // A typed field of another type leaves data empty (its values are not kept); raw_data must match the dims.
        boolean checked = dataType == FLOAT || dataType == INT64 || (size > 0 && data.remaining() > 0);
        if (checked && data.remaining() != count * size) { // count <= Integer.MAX_VALUE: no overflow
            throw new IllegalArgumentException("tensor '" + name + "': " + data.remaining() + " bytes of data but dims "
                    + Arrays.toString(dims) + " of " + typeName(dataType) + " need " + count * size);
        }
        data = data.slice().asReadOnlyBuffer();
    }

    @Override
    public long[] dims() {
        return dims.clone();
    }

    /** A fresh little-endian view of the elements. */
    @Override
    public ByteBuffer data() {
        return data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    public long elementCount() {
        return elementCount(name, dims);
    }

    /** The values of a FLOAT tensor; any other type is refused rather than converted. */
    public float[] floats() throws OnnxFormatException {
        requireType(FLOAT);
        float[] values = new float[Math.toIntExact(elementCount())];
        data().asFloatBuffer().get(values);
        return values;
    }

    /** The values of an INT64 tensor. */
    public long[] longs() throws OnnxFormatException {
        requireType(INT64);
        long[] values = new long[Math.toIntExact(elementCount())];
        data().asLongBuffer().get(values);
        return values;
    }

    public void requireType(int expected) throws OnnxFormatException {
        if (dataType != expected) {
            throw new OnnxFormatException("tensor '" + name + "' has data_type " + typeName(dataType) + "; "
                    + typeName(expected) + " is required");
        }
    }

    /** FLOAT, FLOAT16, DOUBLE or BFLOAT16: a type that can hold weights, as opposed to ids, masks and shapes. */
    public boolean isFloatingPoint() {
        return dataType == FLOAT || dataType == 10 || dataType == 11 || dataType == 16;
    }

    /** Same tensor under another name. */
    public OnnxTensor withName(String newName) {
        return new OnnxTensor(newName, dataType, dims, data);
    }

    /** "FLOAT (1)", "INT64 (7)", ... as TensorProto.DataType numbers them. */
    public static String typeName(int dataType) {
        String name = switch (dataType) {
            case 1 -> "FLOAT";
            case 2 -> "UINT8";
            case 3 -> "INT8";
            case 4 -> "UINT16";
            case 5 -> "INT16";
            case 6 -> "INT32";
            case 7 -> "INT64";
            case 8 -> "STRING";
            case 9 -> "BOOL";
            case 10 -> "FLOAT16";
            case 11 -> "DOUBLE";
            case 12 -> "UINT32";
            case 13 -> "UINT64";
            case 16 -> "BFLOAT16";
            default -> "type";
        };
        return name + " (" + dataType + ")";
    }

    /** Bytes per element of the fixed-size types; 0 for STRING and unknown types. */
    private static int elementSize(int dataType) {
        return switch (dataType) {
            case 2, 3, 9 -> 1; // UINT8, INT8, BOOL
            case 4, 5, 10, 16 -> 2; // UINT16, INT16, FLOAT16, BFLOAT16
            case FLOAT, 6, 12 -> 4; // FLOAT, INT32, UINT32
            case INT64, 11, 13 -> 8; // INT64, DOUBLE, UINT64
            default -> 0;
        };
    }

    /**
     * The product of the dims, refused (not wrapped around) when a dimension or the product is beyond what a Java
     * array can index: a hostile file could otherwise claim a size that passes the data-length check by overflow,
     * or fail much later with an arithmetic error far from the file.
     */
    private static long elementCount(String name, long[] dims) {
        long count = 1;
        for (long dim : dims) {
            if (dim < 0) {
                throw new IllegalArgumentException("tensor '" + name + "': dims " + Arrays.toString(dims)
                        + " have a negative dimension");
            }
            if (dim > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("tensor '" + name + "': dims " + Arrays.toString(dims)
                        + " have a dimension over " + Integer.MAX_VALUE);
            }
            count *= dim; // both factors <= Integer.MAX_VALUE: the product fits a long
            if (count > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("tensor '" + name + "': dims " + Arrays.toString(dims)
                        + " have more than " + Integer.MAX_VALUE + " elements");
            }
        }
        return count;
    }

    // Records compare arrays by identity; tensors are equal when name, type, dims and bytes are.
    @Override
    public boolean equals(Object o) {
        return o instanceof OnnxTensor t && name.equals(t.name) && dataType == t.dataType
                && Arrays.equals(dims, t.dims) && data.equals(t.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dataType, Arrays.hashCode(dims));
    }

    @Override
    public String toString() {
        return "OnnxTensor[" + name + ", " + typeName(dataType) + ", " + Arrays.toString(dims) + "]";
    }
}
