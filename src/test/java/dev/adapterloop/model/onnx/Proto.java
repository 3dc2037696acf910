package dev.adapterloop.model.onnx;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Writes protobuf messages field by field, so tests can build ONNX models (valid or not) by hand. */
final class Proto {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CodedOutputStream out = CodedOutputStream.newInstance(bytes);

    Proto varint(int field, long value) {
        return write(() -> out.writeInt64(field, value));
    }

    Proto string(int field, String value) {
        return write(() -> out.writeString(field, value));
    }

    Proto bytes(int field, byte[] value) {
        return write(() -> out.writeByteArray(field, value));
    }

    Proto message(int field, Proto message) {
        return bytes(field, message.toByteArray());
    }

    Proto fixed32(int field, int value) {
        return write(() -> out.writeFixed32(field, value));
    }

    /** A packed repeated int64 field. */
    Proto packed(int field, long... values) {
        Proto run = new Proto();
        for (long v : values) {
            run.write(() -> run.out.writeInt64NoTag(v));
        }
        return bytes(field, run.toByteArray());
    }

    byte[] toByteArray() {
        write(out::flush);
        return bytes.toByteArray();
    }

    static byte[] littleEndian(float... values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        return buffer.array();
    }

    static byte[] littleEndian(long... values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asLongBuffer().put(values);
        return buffer.array();
    }

    private interface Write {
        void run() throws IOException;
    }

    private Proto write(Write write) {
        try {
            write.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }
}
