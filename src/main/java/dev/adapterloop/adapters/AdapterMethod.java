package dev.adapterloop.adapters;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
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
     * A fresh layer for a frozen weight of shape (d_out, d_in). Arrays go to {@code manager}; randomness comes only
     * from {@code random}, so the same seed gives the same adapter.
     */
    AdapterLayer initialize(NDArray frozenWeight, NDManager manager, Random random);
}
