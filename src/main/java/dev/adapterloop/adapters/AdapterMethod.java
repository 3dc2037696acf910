package dev.adapterloop.adapters;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * A configured parameter-efficient adaptation method (LoRA, LoRMA, MiLoRA, PiSSA, DoRA, ...): its validated
 * hyperparameters and how it creates, restores and exports a layer. Each method's config record implements this and
 * is built by its {@link AdapterMethodProvider}; injection, freezing, merging and the file formats live in the shared
 * core ({@link AdaptedClassifier}, {@link NativeAdapterFiles}, {@link PeftAdapterFiles}) and ask the method only
 * through this interface.
 */
public interface AdapterMethod {

    /** Stable name recorded in manifests and events, e.g. {@code lora}, {@code lorma-plus}, {@code dora}. */
    String name();

    int rank();

    double alpha();

    double dropout();

    TargetModules targets();

    default SharedHyperparameters shared() {
        return new SharedHyperparameters(rank(), alpha(), dropout(), targets());
    }

    /**
     * The method's own options as adapter files store them ({@link MethodOption#fieldName()} to a JSON value:
     * {@code use_rslora → false}, {@code placement → "pre"}), in the order of its provider's
     * {@link AdapterMethodProvider#options()}. Adapters whose options differ compute different things: a warm start
     * refuses to continue across a difference.
     */
    Map<String, Object> options();

    /**
     * The PEFT LoRA configuration of this method's adapters in PEFT's format ({@link AdapterLayer#peftTensors}), or
     * empty when they have none (LoRMA_π's weight change is near full rank): then only the project's own format
     * ({@link NativeAdapterFiles}) and the merged model ({@link MergedModelFiles}) hold them.
     */
    Optional<PeftLoraSettings> peftSettings();

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

    /**
     * Floating-point operations (2 per multiply-add, products only) of the adapter path's forward pass over
     * {@code tokens} rows on a (d_out, d_in) layer, beyond the base layer's own product: the benchmark's MFU counts
     * this, as the PyTorch peer counts its adapters.
     */
    double forwardFlops(long tokens, int dOut, int dIn);
}
