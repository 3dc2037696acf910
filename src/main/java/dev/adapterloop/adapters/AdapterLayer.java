package dev.adapterloop.adapters;

import ai.djl.ndarray.NDArray;
import dev.adapterloop.model.LinearAdapter;
import java.util.Map;

/** An adapter installed on one linear layer: its computation plus the trainable tensors it owns. */
public interface AdapterLayer extends LinearAdapter {

    /** Trainable tensors keyed by their PEFT suffix, e.g. {@code lora_A.weight}, in a stable order. */
    Map<String, NDArray> factors();
}
