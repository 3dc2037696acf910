package dev.adapterloop.adapters;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.adapterloop.model.LinearAdapter;
import dev.adapterloop.model.TorchArrays;
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
     * Overwrites this layer's state in place with {@code stored}, tensors written from {@link #storedTensors()} of a
     * layer of the same method and shapes (e.g. the champion adapter a job warm-starts from), so that it computes
     * exactly what that layer computed. The layer's arrays stay the same objects (the trainer and the model keep
     * their references); their contents are copied into memory PyTorch owns ({@link TorchArrays#replaceContents}),
     * and the trainable factors require gradients again. The {@code stored} arrays are consumed. Methods that
     * derive frozen state from their stored tensors (MiLoRA/PiSSA's residual) recompute it from {@code
     * frozenWeight}, the original W0.
     *
     * @throws IllegalArgumentException if the names or shapes differ from this layer's; nothing is changed then
     */
    default void loadStored(NDArray frozenWeight, Map<String, NDArray> stored) {
        Map<String, NDArray> own = storedTensors();
        if (!own.keySet().equals(stored.keySet())) {
            throw new IllegalArgumentException("layer stores " + own.keySet() + ", got " + stored.keySet());
        }
        own.forEach((name, array) -> {
            if (!array.getShape().equals(stored.get(name).getShape())) {
                throw new IllegalArgumentException(name + " has shape " + array.getShape() + ", got "
                        + stored.get(name).getShape());
            }
        });
        own.forEach((name, array) -> TorchArrays.replaceContents(array, stored.get(name)));
        factors().values().forEach(array -> array.setRequiresGradient(true));
    }

    /**
     * The weight W with {@code W·x + b0} equal to this layer's eval-mode output, shape (d_out, d_in). The result and
     * every temporary are attached to {@code scope}, never to the model's or the adapter's manager (implementations
     * {@code tempAttach} their inputs to it). Used for merging and for exports.
     */
    NDArray effectiveWeight(NDArray frozenWeight, NDManager scope);

    /**
     * This layer in PEFT's LoRA format, keyed by PEFT's suffix ({@code lora_A.weight}, {@code lora_B.weight}, and
     * {@code lora_magnitude_vector} for DoRA), computing exactly what this layer computes under its method's
     * {@link AdapterMethod#peftSettings()}; empty when there is none (LoRMA_π's change is near full rank). Arrays are
     * the layer's own or attached to {@code scope}.
     */
    Optional<Map<String, NDArray>> peftTensors(NDArray frozenWeight, NDManager scope);
}
