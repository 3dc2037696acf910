package dev.adapterloop.training;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import dev.adapterloop.adapters.AdaptedClassifier;
import dev.adapterloop.adapters.TargetModules;
import dev.adapterloop.adapters.lora.LoraConfig;
import dev.adapterloop.dataset.LabeledExample;
import dev.adapterloop.engine.CpuAllocator;
import dev.adapterloop.engine.CpuKernels;
import dev.adapterloop.model.PretrainedModel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A tiny training in a process of its own, for {@link CrossProcessDeterminismTest}: pins the kernels as the launcher
 * does, loads the encoder on the main thread and trains on another one, as the service does, then prints the sha256
 * of the trained parameters after {@link #MARKER}.
 */
public final class ForkedTrainingRun {

    static final String MARKER = "adapter-sha256 ";
    static final String CODE_PATH_MARKER = "mkl-code-path ";

    private ForkedTrainingRun() {
    }

    /** @param args the bundled encoder's folder */
    public static void main(String[] args) throws Exception {
        CpuKernels.apply();
        CpuAllocator.install();
        try (PretrainedModel base = PretrainedModel.load(Path.of(args[0]), Device.cpu());
             AdaptedClassifier model = AdaptedClassifier.create(base, List.of("ham", "spam"),
                     new LoraConfig(4, 8, 0.1, TargetModules.of("query", "value"), false), 5)) {
            String[] digest = new String[1];
            Thread worker = new Thread(() -> {
                new AdapterTrainer(p -> { }).train(model, examples(),
                        new TrainingConfig(1, 8, 32, 3e-3, 0.01, 0.1, 1.0, 4, 11));
                try {
                    digest[0] = sha256(model);
                } catch (NoSuchAlgorithmException e) {
                    throw new IllegalStateException(e);
                }
            }, "adapterloop-training");
            worker.start();
            worker.join();
            if (digest[0] == null) {
                System.exit(1);
            }
            System.out.println(MARKER + digest[0]);
            System.out.println(CODE_PATH_MARKER + CpuKernels.mklCodePath().orElse("unknown"));
        }
    }

    private static List<LabeledExample> examples() {
        List<LabeledExample> examples = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            examples.add(i % 2 == 0
                    ? new LabeledExample("WIN a free cruise " + i + "!!! click now to claim your prize", "spam")
                    : new LabeledExample("minutes of meeting " + i + ": the build is green, release on Monday", "ham"));
        }
        return examples;
    }

    private static String sha256(AdaptedClassifier model) throws NoSuchAlgorithmException {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (NDArray array : model.trainableParameters().values()) {
            float[] values = array.toFloatArray();
            ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            bytes.asFloatBuffer().put(values);
            sha.update(bytes);
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
