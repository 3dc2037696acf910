package dev.adapterloop.adapters;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.Random;

/**
 * A parameter-efficient adaptation method (LoRA, LoRMA, MiLoRA, PiSSA, ...): its validated hyperparameters and how
 * it creates a layer. Each method's config record implements this; injection, freezing, merging and export live in
 * the shared core ({@link AdaptedClassifier}).
 */
public interface AdapterMethod {

    /** Stable name recorded in manifests and events, e.g. {@code lora}, {@code lorma-plus}, {@code milora}. */
    String name();

    TargetModules targets();

    /**
     * Whether a trained adapter converts exactly to a plain LoRA ({@link PeftAdapterFiles}); LoRMA_π's near full-rank
     * weight change does not, and is stored in the project's own format ({@link NativeAdapterFiles}).
     */
    default boolean hasLoraForm() {
        return true;
    }

    /**
     * A fresh layer for a frozen weight of shape (d_out, d_in). Arrays go to {@code manager}; randomness comes only
     * from {@code random}, so the same seed gives the same adapter.
     */
    AdapterLayer initialize(NDArray frozenWeight, NDManager manager, Random random);

    /**
     * The tensors that {@link AdapterLayer#storedTensors()} holds for a frozen weight of shape (d_out, d_in): name
     * (as in the project's own adapter format, {@link NativeAdapterFiles}) to shape, in a stable order. Readers check
     * a file against this before calling {@link #restore}.
     */
    Map<String, Shape> storedShapes(int dOut, int dIn);

    /**
     * Rebuilds a trained layer from tensors written from {@link AdapterLayer#storedTensors()}, whose names and shapes
     * have been checked against {@link #storedShapes}; it computes exactly what the stored layer computed. The
     * arrays become the layer's; anything else it needs goes to {@code manager}.
     */
    AdapterLayer restore(NDArray frozenWeight, Map<String, NDArray> stored, NDManager manager);

    /** The hyperparameters every method shares, checked once, with messages that name the field and the value. */
    static void validate(int rank, double alpha, double dropout, TargetModules targets) {
        if (rank <= 0) {
            throw new IllegalArgumentException("rank must be > 0, got " + rank);
        }
        if (!(alpha > 0) || !Double.isFinite(alpha)) {
            throw new IllegalArgumentException("alpha must be > 0, got " + alpha);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
        if (targets == null) {
            throw new IllegalArgumentException("targets must be set (e.g. query,value)");
        }
    }
}
