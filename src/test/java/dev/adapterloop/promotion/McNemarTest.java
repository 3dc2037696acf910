package dev.adapterloop.promotion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.adapterloop.evaluation.HeldOutOutcomes;
import dev.adapterloop.evaluation.MismatchedHeldOutException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Exact McNemar p-values against values computed by hand (sums of binomial coefficients over 2^n). */
class McNemarTest {

    private static final McNemar.Alternative TWO = McNemar.Alternative.TWO_SIDED;
    private static final McNemar.Alternative GREATER = McNemar.Alternative.GREATER;

    @Test
    void tenAgainstTwoDiscordantPairs() {
        // P(X >= 10 | 12, 1/2) = (66 + 12 + 1) / 4096
        assertThat(McNemar.of(100, 10, 2, TWO).pValue()).isCloseTo(0.03857421875, within(1e-12));
        assertThat(McNemar.of(100, 10, 2, GREATER).pValue()).isCloseTo(0.019287109375, within(1e-12));
        assertThat(McNemar.of(100, 2, 10, GREATER).pValue()).isCloseTo(0.996826171875, within(1e-12));
    }

    @Test
    void moreKnownValues() {
        assertThat(McNemar.of(500, 21, 9, TWO).pValue()).isCloseTo(0.04277394525706768, within(1e-12));
        assertThat(McNemar.of(500, 21, 9, GREATER).pValue()).isCloseTo(0.02138697262853384, within(1e-12));
        assertThat(McNemar.of(500, 25, 20, TWO).pValue()).isCloseTo(0.5514843298025198, within(1e-12));
    }

    @Test
    void tinyPValuesKeepTheirDigits() {
        assertThat(McNemar.of(60, 60, 0, GREATER).pValue()).isCloseTo(8.673617379884035e-19, within(1e-30));
    }

    @Test
    void noDiscordantPairOrABalancedSplitIsNoEvidence() {
        assertThat(McNemar.of(100, 0, 0, TWO).pValue()).isEqualTo(1.0);
        assertThat(McNemar.of(100, 5, 5, TWO).pValue()).isEqualTo(1.0);
    }

    @Test
    void countsDiscordantPairsFromOutcomes() {
        // truth: all label 0; candidate right on 0..3, champion right on 2..4
        HeldOutOutcomes candidate = outcomes("a", new int[]{0, 0, 0, 0, 1, 1});
        HeldOutOutcomes champion = outcomes("a", new int[]{1, 1, 0, 0, 0, 1});
        McNemar test = McNemar.test(candidate, champion, TWO);
        assertThat(test.n()).isEqualTo(6);
        assertThat(test.b()).isEqualTo(2);
        assertThat(test.c()).isEqualTo(1);
    }

    @Test
    void outcomesOfDifferentHeldOutSetsAreNotPaired() {
        assertThatThrownBy(() -> McNemar.test(outcomes("a", new int[]{0, 0}), outcomes("b", new int[]{0, 0}), TWO))
                .isInstanceOf(MismatchedHeldOutException.class)
                .hasMessageContaining("different held-out sets");
    }

    @Test
    void impossibleCountsAreRefused() {
        assertThatThrownBy(() -> McNemar.of(10, 8, 5, TWO)).hasMessageContaining("b + c <= n");
    }

    static HeldOutOutcomes outcomes(String digestChar, int[] predicted) {
        return new HeldOutOutcomes(digestChar.repeat(64), List.of("ham", "spam"), new int[predicted.length],
                predicted);
    }
}
