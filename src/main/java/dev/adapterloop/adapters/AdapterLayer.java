package dev.adapterloop.adapters;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.adapterloop.model.LinearAdapter;
import java.util.Map;
import java.util.Optional;

/**
 * An adapter installed on one linear layer: its computation, the trainable tensors it owns, and the weight it amounts
 * to. Layers never modify the frozen weight they are given; methods that train against a residual (MiLoRA, PiSSA)
 * keep that residual themselves, so closing the adapter always leaves the base model as it was.
 */
public interface AdapterLayer extends LinearAdapter {

    /** Trainable tensors keyed by their PEFT-style suffix, e.g. {@code lora_A.weight}, in a stable order. */
    Map<String, NDArray> factors();

    /**
     * Every tensor that rebuilds this layer exactly ({@link AdapterMethod#restore}), keyed by its name in the project's
     * own adapter format ({@link NativeAdapterFiles}): the trainable factors, plus whatever a method derives its frozen
     * part from (MiLoRA/PiSSA's initial factors).
     */
    default Map<String, NDArray> storedTensors() {
        return factors();
    }

    /**
     * The weight W with {@code W·x + b0} equal to this layer's eval-mode output, shape (d_out, d_in). The result and
     * every temporary are attached to {@code scope}, never to the model's or the adapter's manager (implementations
     * {@code tempAttach} their inputs to it). Used for merging and for exports.
     */
    NDArray effectiveWeight(NDArray frozenWeight, NDManager scope);

    /**
     * This layer's weight change relative to {@code frozenWeight} as an exact plain LoRA, for PEFT export; empty
     * when there is none (LoRMA_π's change is near full rank). Arrays are the layer's own or attached to
     * {@code scope}.
     */
    Optional<LoraFactors> asLora(NDArray frozenWeight, NDManager scope);
}
