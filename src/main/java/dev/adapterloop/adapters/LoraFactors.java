package dev.adapterloop.adapters;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/**
 * A plain LoRA equivalent to an adapter: {@code W = W0 + scaling·loraB·loraA}, with {@code loraA} of shape (r, d_in)
 * and {@code loraB} of shape (d_out, r), in PEFT's layout. The arrays belong to the scope they were exported into.
 * Exported by LoRMA₊ (rank r, exact) and MiLoRA/PiSSA; for the latter r is twice the layer's rank, so {@code adapter_config.json} must carry
 * {@code r = rank()} and {@code lora_alpha = peftAlpha(useRsLora)} (2α, or α·√2 with rsLoRA) to keep the scaling.
 */
public record LoraFactors(NDArray loraA, NDArray loraB, double scaling) {

    /** {@code lora_A.weight} and {@code lora_B.weight}, PEFT's names for the two factors. */
    public Map<String, NDArray> tensors() {
        return AdapterArrays.loraPair(loraA, loraB);
    }

    /** The rank r of the exported LoRA (rows of {@code loraA}). */
    public int rank() {
        return (int) loraA.getShape().get(0);
    }

    /** {@code lora_alpha} that makes PEFT's scaling ({@code lora_alpha / r}, or {@code / √r}) equal {@link #scaling}. */
    public double peftAlpha(boolean useRsLora) {
        return useRsLora ? scaling * Math.sqrt(rank()) : scaling * rank();
    }
}
