package dev.adapterloop.model.decoder;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Picks the next token from a row's logits as transformers' sampling does, in its order: temperature, then top-k
 * (ties with the k-th kept), then top-p (the smallest high-probability set whose mass exceeds p, at least one token),
 * then one draw from the renormalised distribution. Temperature 0 is greedy. The draw comes from a seeded
 * {@link Random} in Java, so a seed gives the same tokens on every machine and engine build.
 */
public final class TokenSampler {

    private final double temperature;
    private final int topK;
    private final double topP;
    private final Random random;

    /**
     * @param temperature 0 for greedy, else > 0
     * @param topK 0 for no top-k filter
     * @param topP in (0, 1]; 1 for no top-p filter
     */
    public TokenSampler(double temperature, int topK, double topP, long seed) {
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be >= 0, got " + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("top_k must be >= 0, got " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top_p must be in (0, 1], got " + topP);
        }
        this.temperature = temperature;
        this.topK = topK;
        this.topP = topP;
        this.random = new Random(seed);
    }

    public long next(float[] logits) {
        if (temperature == 0) {
            return argmax(logits);
        }
        double[] scores = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            scores[i] = logits[i] / temperature;
        }
        if (topK > 0 && topK < scores.length) {
            double[] sorted = scores.clone();
            Arrays.sort(sorted);
            double kth = sorted[sorted.length - topK];
            for (int i = 0; i < scores.length; i++) {
                if (scores[i] < kth) {
                    scores[i] = Double.NEGATIVE_INFINITY;
                }
            }
        }
        double[] softmaxed = softmax(scores);
        double[] probabilities = softmaxed;
        if (topP < 1) {
            // transformers' TopPLogitsWarper: ascending order, drop the tokens whose cumulative mass is <= 1 - p.
            Integer[] ascending = IntStream.range(0, probabilities.length).boxed()
                    .sorted(Comparator.comparingDouble(i -> softmaxed[i])).toArray(Integer[]::new);
            double cumulative = 0;
            for (int rank = 0; rank < ascending.length - 1; rank++) {
                cumulative += softmaxed[ascending[rank]];
                if (cumulative <= 1 - topP) {
                    scores[ascending[rank]] = Double.NEGATIVE_INFINITY;
                }
            }
            probabilities = softmax(scores);
        }
        double u = random.nextDouble();
        double cumulative = 0;
        int last = -1;
        for (int i = 0; i < probabilities.length; i++) {
            if (probabilities[i] > 0) {
                cumulative += probabilities[i];
                last = i;
                if (u < cumulative) {
                    return i;
                }
            }
        }
        return last;
    }

    /** The first index of the largest value, as torch's argmax picks it. */
    public static long argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }

    private static double[] softmax(double[] scores) {
        double max = Arrays.stream(scores).max().orElseThrow();
        double[] out = new double[scores.length];
        double sum = 0;
        for (int i = 0; i < scores.length; i++) {
            out[i] = scores[i] == Double.NEGATIVE_INFINITY ? 0 : Math.exp(scores[i] - max);
            sum += out[i];
        }
        for (int i = 0; i < out.length; i++) {
            out[i] /= sum;
        }
        return out;
    }
}
