package dev.adapterloop.model.decoder;

/**
 * How rotary frequencies are rescaled for longer contexts ({@code rope_scaling} / {@code rope_parameters}):
 * {@code default} (none), {@code linear} (every frequency divided by {@code factor}) or {@code llama3} (Llama 3.1's
 * per-wavelength rule). Other types ({@code dynamic}, {@code yarn}, {@code longrope}) are refused when read.
 */
public record RopeScaling(String type, double factor, double lowFreqFactor, double highFreqFactor,
                          int originalMaxPositions) {

    public static final RopeScaling NONE = new RopeScaling("default", 1, 0, 0, 0);

    public RopeScaling {
        switch (type) {
            case "default" -> { }
            case "linear" -> require(factor > 0, "factor must be > 0, got " + factor);
            case "llama3" -> {
                require(factor > 0, "factor must be > 0, got " + factor);
                require(lowFreqFactor > 0 && highFreqFactor > lowFreqFactor,
                        "llama3 needs 0 < low_freq_factor < high_freq_factor, got " + lowFreqFactor + ", "
                                + highFreqFactor);
                require(originalMaxPositions > 0, "llama3 needs original_max_position_embeddings > 0");
            }
            default -> throw new IllegalArgumentException("rope_scaling type '" + type + "' is not supported"
                    + " (supported: default, linear, llama3)");
        }
    }

    /**
     * The inverse frequencies of a head of {@code headDim}: {@code 1 / theta^(2i/d)} for {@code i < d/2}, computed
     * in fp32 as transformers does, then rescaled by this rule.
     */
    public float[] inverseFrequencies(int headDim, double theta) {
        float[] inv = new float[headDim / 2];
        for (int i = 0; i < inv.length; i++) {
            // torch: 1.0 / (base ** (arange(0, dim, 2).float() / dim)) in fp32
            float exponent = (float) (2 * i) / headDim;
            inv[i] = 1.0f / (float) Math.pow((float) theta, exponent);
        }
        switch (type) {
            case "linear" -> {
                for (int i = 0; i < inv.length; i++) {
                    inv[i] = (float) (inv[i] / factor);
                }
            }
            case "llama3" -> {
                double lowWavelen = originalMaxPositions / lowFreqFactor;
                double highWavelen = originalMaxPositions / highFreqFactor;
                for (int i = 0; i < inv.length; i++) {
                    double wavelen = 2 * Math.PI / inv[i];
                    if (wavelen > lowWavelen) {
                        inv[i] = (float) (inv[i] / factor);
                    } else if (wavelen >= highWavelen) {
                        double smooth = (originalMaxPositions / wavelen - lowFreqFactor)
                                / (highFreqFactor - lowFreqFactor);
                        inv[i] = (float) ((1 - smooth) * inv[i] / factor + smooth * inv[i]);
                    }
                }
            }
            default -> { }
        }
        return inv;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException("rope_scaling: " + message);
        }
    }
}
