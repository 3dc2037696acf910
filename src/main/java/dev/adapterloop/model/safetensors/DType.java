package dev.adapterloop.model.safetensors;

import java.util.Optional;

/** The safetensors element types this project reads and writes; the constant names are the header's dtype strings. */
public enum DType {
    F32(4),
    F16(2),
    BF16(2),
    I64(8),
    I32(4);

    private final int byteSize;

    DType(int byteSize) {
        this.byteSize = byteSize;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** The type named {@code name} in a safetensors header ("F32", "BF16", ...), or empty when unsupported. */
    public static Optional<DType> fromHeaderName(String name) {
        for (DType type : values()) {
            if (type.name().equals(name)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
