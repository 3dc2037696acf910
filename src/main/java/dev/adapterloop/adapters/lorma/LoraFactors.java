package dev.adapterloop.adapters.lorma;

import ai.djl.ndarray.NDArray;

/**
 * A plain LoRA equivalent to an adapter: {@code W = W0 + scaling·loraB·loraA}, with {@code loraA} of shape
 * (r, d_in) and {@code loraB} of shape (d_out, r), in PEFT's layout. The arrays belong to the scope they were
 * exported into.
 */
public record LoraFactors(NDArray loraA, NDArray loraB, double scaling) {
}
