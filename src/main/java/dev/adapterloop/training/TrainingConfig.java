package dev.adapterloop.training;

/**
 * Hyperparameters of one training run. {@code maxSteps = 0} means "as many steps as the epochs give".
 * Defaults follow common LoRA practice for small encoders: lr 5e-4, warm-up 6 %, linear decay, clip at 1.0.
 */
public record TrainingConfig(int epochs, int batchSize, int maxSequenceLength, double learningRate,
                             double weightDecay, double warmupRatio, double maxGradNorm, int maxSteps, long seed,
                             Decay decay) {

    /** How the learning rate falls after warm-up. */
    public enum Decay {
        LINEAR, COSINE;

        /** {@code linear} or {@code cosine}, case-insensitive, with an error that names the bad value. */
        public static Decay parse(String value) {
            for (Decay decay : values()) {
                if (decay.name().equalsIgnoreCase(value)) {
                    return decay;
                }
            }
            throw new IllegalArgumentException("learning-rate decay must be linear or cosine, got '" + value + "'");
        }
    }

    /** Linear decay, the default. */
    public TrainingConfig(int epochs, int batchSize, int maxSequenceLength, double learningRate, double weightDecay,
                          double warmupRatio, double maxGradNorm, int maxSteps, long seed) {
        this(epochs, batchSize, maxSequenceLength, learningRate, weightDecay, warmupRatio, maxGradNorm, maxSteps, seed,
                Decay.LINEAR);
    }

    public TrainingConfig {
        if (decay == null) {
            throw new IllegalArgumentException("decay must be set (linear or cosine)");
        }
        requirePositive("epochs", epochs);
        requirePositive("batch size", batchSize);
        if (maxSequenceLength < 8) {
            throw new IllegalArgumentException("max sequence length must be >= 8, got " + maxSequenceLength);
        }
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be > 0, got " + learningRate);
        }
        if (!(weightDecay >= 0)) {
            throw new IllegalArgumentException("weight decay must be >= 0, got " + weightDecay);
        }
        if (!(warmupRatio >= 0 && warmupRatio < 1)) {
            throw new IllegalArgumentException("warm-up ratio must be in [0, 1), got " + warmupRatio);
        }
        if (!(maxGradNorm > 0)) {
            throw new IllegalArgumentException("max gradient norm must be > 0, got " + maxGradNorm);
        }
        if (maxSteps < 0) {
            throw new IllegalArgumentException("max steps must be >= 0, got " + maxSteps);
        }
    }

    /** Steps of the run for a training set of {@code examples}. */
    public int totalSteps(int examples) {
        int perEpoch = (examples + batchSize - 1) / batchSize;
        long all = (long) perEpoch * epochs;
        return (int) (maxSteps > 0 ? Math.min(all, maxSteps) : all);
    }

    private static void requirePositive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, got " + value);
        }
    }
}
