package dev.adapterloop.model.decoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Sampling as transformers does it: temperature, top-k, top-p (its ascending-mass rule), seeded draws. */
class TokenSamplerTest {

    /** Probabilities 0.5, 0.3, 0.15, 0.05 at temperature 1. */
    private static final float[] LOGITS = {(float) Math.log(0.5), (float) Math.log(0.3), (float) Math.log(0.15),
            (float) Math.log(0.05)};

    @Test
    void temperatureZeroAndTopKOneAreGreedy() {
        float[] logits = {0.1f, 2.5f, 2.5f, -1f};
        assertThat(new TokenSampler(0, 0, 1, 1).next(logits)).as("the first of equal maxima, as argmax").isEqualTo(1);
        TokenSampler topOne = new TokenSampler(1.0, 1, 1, 7);
        for (int i = 0; i < 50; i++) {
            assertThat(topOne.next(LOGITS)).isEqualTo(0);
        }
    }

    @Test
    void topPKeepsTheSmallestSetWhoseMassExceedsP() {
        // Ascending 0.05, 0.15, 0.3, 0.5: cumulative 0.05 and 0.20 are <= 1 - 0.8, so tokens 3 and 2 go.
        int[] counts = draw(new TokenSampler(1.0, 0, 0.8, 3), LOGITS, 4000);
        assertThat(counts[2] + counts[3]).isZero();
        assertThat(counts[0] / 4000.0).isCloseTo(0.5 / 0.8, org.assertj.core.data.Offset.offset(0.04));
    }

    @Test
    void temperatureSharpensTheDistribution() {
        // At T = 0.5 the probabilities are proportional to p²: 0.25, 0.09, 0.0225, 0.0025 over 0.365.
        int[] counts = draw(new TokenSampler(0.5, 0, 1, 5), LOGITS, 4000);
        assertThat(counts[0] / 4000.0).isCloseTo(0.25 / 0.365, org.assertj.core.data.Offset.offset(0.04));
        assertThat(counts[1] / 4000.0).isCloseTo(0.09 / 0.365, org.assertj.core.data.Offset.offset(0.04));
    }

    @Test
    void aSeedGivesTheSameTokensAndAnotherSeedOthers() {
        assertThat(draws(11)).isEqualTo(draws(11)).isNotEqualTo(draws(12));
    }

    @Test
    void settingsOutsideTheirRangeAreRefused() {
        assertThatThrownBy(() -> new TokenSampler(-1, 0, 1, 0)).hasMessageContaining("temperature");
        assertThatThrownBy(() -> new TokenSampler(1, -2, 1, 0)).hasMessageContaining("top_k");
        assertThatThrownBy(() -> new TokenSampler(1, 0, 0, 0)).hasMessageContaining("top_p");
        assertThatThrownBy(() -> new TokenSampler(1, 0, 1.5, 0)).hasMessageContaining("top_p");
    }

    private static String draws(long seed) {
        TokenSampler sampler = new TokenSampler(1.0, 0, 1, seed);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            out.append(sampler.next(LOGITS));
        }
        return out.toString();
    }

    private static int[] draw(TokenSampler sampler, float[] logits, int n) {
        int[] counts = new int[logits.length];
        for (int i = 0; i < n; i++) {
            counts[(int) sampler.next(logits)]++;
        }
        return counts;
    }
}
