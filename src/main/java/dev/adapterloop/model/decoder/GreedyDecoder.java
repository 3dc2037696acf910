package dev.adapterloop.model.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/**
 * Greedy decoding as transformers' {@code generate(do_sample=False)} does it: a left-padded batch, positions
 * {@code cumsum(mask) - 1} with padded slots set to 1, the mask extended by one real token per step, the argmax of
 * the last position appended. With the {@link KvCache} each step runs the new token only; without it each step
 * recomputes the whole sequence (the reference the cache must equal, and the baseline of the generation benchmark).
 */
public final class GreedyDecoder {

    private final DecoderModel model;
    private final ParameterStore parameterStore;

    public GreedyDecoder(DecoderModel model, NDManager manager) {
        this.model = model;
        this.parameterStore = new ParameterStore(manager, false);
    }

    /**
     * @param inputIds (batch, prompt) int64, left-padded
     * @param attentionMask (batch, prompt) int64
     * @param newTokens how many tokens to append to every row (no stop at EOS)
     * @return the new tokens, (batch, newTokens)
     */
    public long[][] generate(NDArray inputIds, NDArray attentionMask, int newTokens, boolean useCache) {
        int batch = (int) inputIds.getShape().get(0);
        long[][] out = new long[batch][newTokens];
        try (NDManager generation = inputIds.getManager().newSubManager();
             KvCache cache = useCache ? new KvCache(generation, model.numLayers()) : null) {
            NDArray ids = inputIds;
            NDArray mask = attentionMask;
            NDArray stepIds = inputIds;
            for (int step = 0; step < newTokens; step++) {
                try (NDManager scope = generation.newSubManager()) {
                    // Borrowed for the step: what is computed from them is freed with it, they go back after.
                    mask.tempAttach(scope);
                    NDArray positions = generationPositions(mask);
                    NDArray feed = useCache ? stepIds : ids;
                    if (useCache && step > 0) {
                        long total = positions.getShape().get(1);
                        positions = positions.get(new NDIndex(":, {}:", total - 1));
                    }
                    feed.tempAttach(scope);
                    NDArray hidden = model.run(parameterStore, feed, mask, positions, cache, false, null);
                    long seq = hidden.getShape().get(1);
                    NDArray next = model.logits(parameterStore, hidden.get(new NDIndex(":, {}:", seq - 1)), false)
                            .argMax(-1).toType(DataType.INT64, false);
                    long[] tokens = next.toLongArray();
                    for (int row = 0; row < batch; row++) {
                        out[row][step] = tokens[row];
                    }
                    NDArray column = generation.create(tokens, new Shape(batch, 1));
                    NDArray nextIds = ids.concat(column, 1);
                    nextIds.attach(generation);
                    ids = nextIds;
                    NDArray nextMask = mask.concat(generation.ones(new Shape(batch, 1), DataType.INT64), 1);
                    nextMask.attach(generation);
                    mask = nextMask;
                    stepIds = column;
                }
            }
        }
        return out;
    }

    /** {@code cumsum(mask) - 1}, padded slots set to 1, as {@code prepare_inputs_for_generation} computes them. */
    static NDArray generationPositions(NDArray mask) {
        NDArray m = mask.toType(DataType.INT64, false);
        NDArray positions = m.cumSum(1).sub(1);
        NDArray real = m.eq(1).toType(DataType.INT64, false);
        return positions.mul(real).add(real.neg().add(1));
    }
}
