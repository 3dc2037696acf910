package dev.adapterloop.model;

import dev.adapterloop.nativelib.ProcessSetting;

/**
 * How the encoder computes {@code softmax(q·kᵀ/√d + mask)·v}. Chosen with the system property {@value #PROPERTY} or
 * the environment variable {@value #ENVIRONMENT}; read once per process.
 *
 * <p>{@link #UNFUSED} is the default. {@link #FUSED} (opt-in) runs libtorch's {@code scaled_dot_product_attention}
 * (through {@code src/main/c/fused_attention.cpp}; DJL does not expose it): on CPU its flash-attention kernel, which
 * reads the heads where the projections wrote them and keeps no probability matrix for the backward pass. Measured on
 * the bundled encoder: 61 MiB less peak memory in a LoRA step, the same step time within noise, the same loss to 7
 * digits (BENCHMARKS.md); no speed gain, so a native helper bound to one libtorch's internals is not worth running by
 * default. It applies where the probabilities need no dropout (inference, or training with the model's attention
 * dropout at 0), on CPU, in fp32; elsewhere, or where the helper is not in the build or is off
 * ({@code NativeHelpers}), the encoder falls back to {@link #UNFUSED}.
 */
public enum AttentionKernel {

    /** libtorch's fused operator where it applies (opt-in). */
    FUSED,

    /** Matrix product, mask, softmax, dropout, matrix product: DJL's own operators (the default). */
    UNFUSED;

    public static final String PROPERTY = "adapterloop.attention";
    public static final String ENVIRONMENT = "ADAPTERLOOP_ATTENTION";

    private static volatile AttentionKernel configured;

    /** The kernel the property or the environment names, {@link #UNFUSED} when neither does; read once. */
    public static AttentionKernel configured() {
        AttentionKernel kernel = configured;
        if (kernel == null) {
            kernel = ProcessSetting.configured(AttentionKernel.class, PROPERTY, ENVIRONMENT, UNFUSED);
            configured = kernel;
        }
        return kernel;
    }

    /**
     * Overrides the configured kernel for the rest of the process, for tests that exercise one path in a JVM that
     * runs the default; returns the kernel it replaces, to put back.
     */
    static AttentionKernel use(AttentionKernel kernel) {
        AttentionKernel previous = configured();
        configured = kernel;
        return previous;
    }

    /** Parses {@code fused} or {@code unfused} (any case). */
    public static AttentionKernel parse(String value) {
        return ProcessSetting.parse(AttentionKernel.class, PROPERTY, value);
    }

    /** One part of the start-up log line: what attention runs on, and why not fused where it is not. */
    public static String describe() {
        if (configured() == UNFUSED) {
            return "unfused attention";
        }
        return FusedAttention.unavailableReason().map(reason -> "unfused attention (" + reason + ")")
                .orElse("fused attention");
    }
}
