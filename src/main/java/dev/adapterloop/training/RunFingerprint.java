package dev.adapterloop.training;

import dev.adapterloop.adapters.AdaptedClassifier;
import dev.adapterloop.dataset.LabeledExample;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * What a checkpoint must match to be resumed: the hyperparameters, the adapter method, its parameters' shapes and
 * starting values (a warm start from another champion is another run), the labels, early stopping's settings and the
 * training data itself (every text and label, in order, replayed examples included).
 */
final class RunFingerprint {

    private RunFingerprint() {
    }

    static String of(AdaptedClassifier model, List<LabeledExample> examples, TrainingConfig config,
                     EarlyStopping stopping) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            update(sha256, config.toString());
            update(sha256, model.method().toString());
            update(sha256, model.labels().toString());
            model.trainableParameters().forEach((name, array) -> {
                update(sha256, name + array.getShape());
                float[] values = array.toFloatArray();
                java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(Float.BYTES * values.length);
                bytes.asFloatBuffer().put(values);
                sha256.update(bytes);
            });
            update(sha256, stopping.enabled() + "/" + stopping.everySteps() + "/" + stopping.patience() + "/"
                    + stopping.validation().size());
            for (LabeledExample example : examples) {
                update(sha256, example.label());
                update(sha256, example.text());
            }
            return HexFormat.of().formatHex(sha256.digest()).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void update(MessageDigest digest, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        digest.update((byte) (bytes.length >>> 24));
        digest.update((byte) (bytes.length >>> 16));
        digest.update((byte) (bytes.length >>> 8));
        digest.update((byte) bytes.length);
        digest.update(bytes);
    }
}
