package dev.adapterloop.model.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Parses one TensorProto. Values in {@code raw_data} stay a view of the model bytes; FLOAT values in
 * {@code float_data} and INT64 values in {@code int64_data} are re-encoded as little-endian bytes so that every
 * tensor looks the same to callers. Tensors whose data lives in external files are refused.
 */
final class TensorProtoParser {

    private static final int DIMS = 1;
    private static final int DATA_TYPE = 2;
    private static final int FLOAT_DATA = 4;
    private static final int INT64_DATA = 7;
    private static final int NAME = 8;
    private static final int RAW_DATA = 9;
    private static final int EXTERNAL_DATA = 13;
    private static final int DATA_LOCATION = 14;
    private static final int DATA_LOCATION_EXTERNAL = 1;

    private final Function<String, OnnxFormatException> error;
    private final String where;

    private final List<Long> dims = new ArrayList<>();
    private final ByteArrayOutputStream typed = new ByteArrayOutputStream();
    private int dataType;
    private String name = "";
    private ByteBuffer raw;
    private boolean external;

    TensorProtoParser(Function<String, OnnxFormatException> error, String where) {
        this.error = error;
        this.where = where;
    }

    OnnxTensor parse(CodedInputStream in) throws IOException {
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (OnnxModelReader.field(tag)) {
                case DIMS -> readInt64s(in, tag, dims);
                case DATA_TYPE -> dataType = in.readInt32();
                case FLOAT_DATA -> readFloats(in, tag);
                case INT64_DATA -> {
                    List<Long> values = new ArrayList<>();
                    readInt64s(in, tag, values);
                    values.forEach(this::writeLong);
                }
                case NAME -> name = OnnxModelReader.string(in, tag, "TensorProto.name");
                case RAW_DATA -> raw = OnnxModelReader.lengthDelimited(in, tag, "TensorProto.raw_data");
                case EXTERNAL_DATA -> {
                    external = true;
                    in.skipField(tag);
                }
                case DATA_LOCATION -> external |= in.readInt32() == DATA_LOCATION_EXTERNAL;
                default -> in.skipField(tag);
            }
        }
        return build();
    }

    private OnnxTensor build() throws OnnxFormatException {
        String label = where + " '" + name + "'";
        if (external) {
            throw error.apply(label + " keeps its data in an external file (data_location=EXTERNAL); only"
                    + " self-contained models are supported: re-export without external data");
        }
        if (raw != null && typed.size() > 0) {
            throw error.apply(label + " has both raw_data and typed values; ONNX allows only one");
        }
        ByteBuffer data = raw != null ? raw : ByteBuffer.wrap(typed.toByteArray());
        try {
            return new OnnxTensor(name, dataType, dims.stream().mapToLong(Long::longValue).toArray(), data);
        } catch (IllegalArgumentException e) {
            throw error.apply(where + ": " + e.getMessage());
        }
    }

    /** Repeated int64: packed (one length-delimited run of varints) or one varint per tag; parsers accept both. */
    private static void readInt64s(CodedInputStream in, int tag, List<Long> into) throws IOException {
        if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
            int limit = in.pushLimit(in.readRawVarint32());
            while (in.getBytesUntilLimit() > 0) {
                into.add(in.readInt64());
            }
            in.popLimit(limit);
        } else if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_VARINT) {
            into.add(in.readInt64());
        } else {
            throw new InvalidProtocolBufferException("repeated int64 field " + OnnxModelReader.field(tag)
                    + " has wire type " + WireFormat.getTagWireType(tag));
        }
    }

    /** Repeated float: packed little-endian fixed32 values are already the layout we keep, so copy them as bytes. */
    private void readFloats(CodedInputStream in, int tag) throws IOException {
        if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
            ByteBuffer packed = in.readByteBuffer();
            if (packed.remaining() % Float.BYTES != 0) {
                throw new InvalidProtocolBufferException("packed float_data of " + packed.remaining()
                        + " bytes is not a whole number of floats");
            }
            typed.write(packed.array(), packed.arrayOffset() + packed.position(), packed.remaining());
        } else if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_FIXED32) {
            writeInt(in.readRawLittleEndian32());
        } else {
            throw new InvalidProtocolBufferException("float_data has wire type " + WireFormat.getTagWireType(tag));
        }
    }

    private void writeInt(int value) {
        for (int i = 0; i < Integer.BYTES; i++) {
            typed.write(value >>> (8 * i));
        }
    }

    private void writeLong(long value) {
        for (int i = 0; i < Long.BYTES; i++) {
            typed.write((int) (value >>> (8 * i)));
        }
    }
}
