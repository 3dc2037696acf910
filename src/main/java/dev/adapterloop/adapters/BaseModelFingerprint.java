package dev.adapterloop.adapters;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import dev.adapterloop.model.PretrainedModel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Function;

/**
 * SHA-256 of a base encoder's frozen tensors (names, shapes and float32 values, little-endian, in checkpoint order),
 * written as {@code sha256:<hex>}. An adapter records the fingerprint of the base it was trained on, so that loading it
 * onto other weights, even under the same model name, fails instead of silently computing something else. MiLoRA and
 * PiSSA need this most: their frozen residual is derived from W0.
 */
final class BaseModelFingerprint {

    private static final String PREFIX = "sha256:";

    private BaseModelFingerprint() {
    }

    /** The fingerprint of {@code base} as it is now (with no adapter merged into it). */
    static String of(PretrainedModel base) {
        return compute(base.backbone().namedParameters(), name -> null);
    }

    /** The fingerprint of the base {@code model} was built on: its original weights, also while it is merged. */
    static String of(AdaptedClassifier model) {
        return compute(model.base().backbone().namedParameters(), name -> {
            String path = name.endsWith(".weight") ? name.substring(0, name.length() - ".weight".length()) : null;
            return path != null && model.layers().containsKey(path) ? model.frozenWeight(path) : null;
        });
    }

    /** @param override the array to hash instead of a parameter's current one, or {@code null} for the parameter's */
    private static String compute(Map<String, Parameter> named, Function<String, NDArray> override) {
        MessageDigest sha = sha256();
        for (Map.Entry<String, Parameter> entry : named.entrySet()) {
            NDArray array = override.apply(entry.getKey());
            if (array == null) {
                array = entry.getValue().getArray();
            }
            sha.update(entry.getKey().getBytes(StandardCharsets.UTF_8));
            long[] shape = array.getShape().getShape();
            ByteBuffer header = ByteBuffer.allocate(1 + Long.BYTES * (shape.length + 1)).order(ByteOrder.LITTLE_ENDIAN);
            header.put((byte) 0).putLong(shape.length);
            for (long dim : shape) {
                header.putLong(dim);
            }
            sha.update(header.flip());
            float[] values = array.toFloatArray();
            ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            bytes.asFloatBuffer().put(values);
            sha.update(bytes);
        }
        return PREFIX + HexFormat.of().formatHex(sha.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
