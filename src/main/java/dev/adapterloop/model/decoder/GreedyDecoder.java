package dev.adapterloop.model.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Greedy decoding as transformers' {@code generate(do_sample=False)} does it (the argmax of each row's last position,
 * {@link DecodingLoop}'s positions and mask), exactly {@code newTokens} tokens with no stop at EOS: what the reference
 * oracle's greedy continuations are, and the no-cache baseline of the generation benchmark.
 */
public final class GreedyDecoder {

    private final DecodingLoop loop;

    public GreedyDecoder(DecoderModel model, NDManager manager) {
        this.loop = new DecodingLoop(model, manager);
    }

    /**
     * @param inputIds (batch, prompt) int64, left-padded
     * @param attentionMask (batch, prompt) int64
     * @return the new tokens, (batch, newTokens)
     */
    public long[][] generate(NDArray inputIds, NDArray attentionMask, int newTokens, boolean useCache) {
        int batch = (int) inputIds.getShape().get(0);
        long[][] out = new long[batch][newTokens];
        int[] step = {0};
        loop.run(inputIds, attentionMask, newTokens, useCache, (logits, next) -> {
            for (int row = 0; row < logits.length; row++) {
                next[row] = TokenSampler.argmax(logits[row]);
                out[row][step[0]] = next[row];
            }
            step[0]++;
            return false;
        });
        return out;
    }

    /** {@code cumsum(mask) - 1}, padded slots set to 1 ({@link DecodingLoop#generationPositions}). */
    static NDArray generationPositions(NDArray mask) {
        return DecodingLoop.generationPositions(mask);
    }
}
