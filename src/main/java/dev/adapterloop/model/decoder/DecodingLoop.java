package dev.adapterloop.model.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/**
 * The token-by-token loop of {@code generate()}: a left-padded batch, positions {@code cumsum(mask) - 1} with padded
 * slots set to 1, the mask extended by one real token per step. With the {@link KvCache} each step runs the new token
 * only; without it each step recomputes the whole sequence. What token comes next, and when a row is done, is the
 * caller's ({@link Chooser}); the loop ends when every row is done or after {@code maxNewTokens}.
 */
final class DecodingLoop {

    /** Picks each row's next token from its last position's logits; returns whether every row is done after it. */
    interface Chooser {
        boolean choose(float[][] lastLogits, long[] next);
    }

    private final DecoderModel model;
    private final ParameterStore parameterStore;

    DecodingLoop(DecoderModel model, NDManager manager) {
        this.model = model;
        this.parameterStore = new ParameterStore(manager, false);
    }

    /** Runs up to {@code maxNewTokens} steps; returns how many ran. */
    int run(NDArray inputIds, NDArray attentionMask, int maxNewTokens, boolean useCache, Chooser chooser) {
        int batch = (int) inputIds.getShape().get(0);
        int vocab = model.config().vocabSize();
        try (NDManager generation = inputIds.getManager().newSubManager();
             KvCache cache = useCache ? new KvCache(generation, model.numLayers()) : null) {
            NDArray ids = inputIds;
            NDArray mask = attentionMask;
            NDArray stepIds = inputIds;
            for (int step = 0; step < maxNewTokens; step++) {
                boolean done;
                try (NDManager scope = generation.newSubManager()) {
                    // Borrowed for the step: what is computed from them is freed with it, they go back after.
                    mask.tempAttach(scope);
                    NDArray positions = generationPositions(mask);
                    NDArray feed = useCache ? stepIds : ids;
                    if (useCache && step > 0) {
                        positions = positions.get(new NDIndex(":, {}:", positions.getShape().get(1) - 1));
                    }
                    feed.tempAttach(scope);
                    NDArray hidden = model.run(parameterStore, feed, mask, positions, cache, false, null);
                    long seq = hidden.getShape().get(1);
                    float[] flat = model.logits(parameterStore, hidden.get(new NDIndex(":, {}:", seq - 1)), false)
                            .toFloatArray();
                    float[][] last = new float[batch][];
                    for (int row = 0; row < batch; row++) {
                        last[row] = java.util.Arrays.copyOfRange(flat, row * vocab, (row + 1) * vocab);
                    }
                    long[] tokens = new long[batch];
                    done = chooser.choose(last, tokens);
                    NDArray column = generation.create(tokens, new Shape(batch, 1));
                    NDArray nextIds = ids.concat(column, 1);
                    nextIds.attach(generation);
                    ids = nextIds;
                    NDArray nextMask = mask.concat(generation.ones(new Shape(batch, 1), DataType.INT64), 1);
                    nextMask.attach(generation);
                    mask = nextMask;
                    stepIds = column;
                }
                if (done) {
                    return step + 1;
                }
            }
            return maxNewTokens;
        }
    }

    /** {@code cumsum(mask) - 1}, padded slots set to 1, as {@code prepare_inputs_for_generation} computes them. */
    static NDArray generationPositions(NDArray mask) {
        NDArray m = mask.toType(DataType.INT64, false);
        NDArray positions = m.cumSum(1).sub(1);
        NDArray real = m.eq(1).toType(DataType.INT64, false);
        return positions.mul(real).add(real.neg().add(1));
    }
}
