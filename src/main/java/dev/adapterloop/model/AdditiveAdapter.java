package dev.adapterloop.model;

import ai.djl.ndarray.NDArray;
import java.util.Optional;

/**
 * An adapter whose inference output is the frozen layer's plus a term of its own: {@code h = W0·x + b0 + Δ(x)}, as for
 * LoRA ({@code Δ(x) = s·B·A·x}), LoRMA₊ and MiLoRA/PiSSA (whose weight changes are low rank). Many such adapters can share one frozen layer in
 * a single batch: {@link AdapterRouting} computes {@code W0·x + b0} once for every row and adds each row's own
 * {@code Δ} (the S-LoRA / Punica scheme), instead of one full product per adapter.
 */
public interface AdditiveAdapter extends LinearAdapter {

    /**
     * {@code Δ(x)} in inference mode (no dropout), shape (rows, d_out); attached to {@code x}'s manager.
     *
     * @param x input rows, shape (rows, d_in)
     * @param weight the frozen weight W0, (d_out, d_in), in {@code x}'s compute type
     * @param frozen {@code W0·x} for these rows, without the bias (LoRMA's pre-multiplication reads it)
     */
    NDArray delta(NDArray x, NDArray weight, NDArray frozen);

    /**
     * {@code Δ(x) = scaling·B·A·x} on the layer's own input, when the term has that form (LoRA): many versions' terms
     * then go into two batched products for a whole pass, whatever the number of versions. Empty otherwise.
     */
    default Optional<LowRank> onInput() {
        return Optional.empty();
    }

    /** {@code A} (r, d_in) and {@code B} (d_out, r) of a term {@code scaling·B·A·x}. */
    record LowRank(NDArray a, NDArray b, float scaling) {
        public long rank() {
            return a.getShape().get(0);
        }
    }
}
