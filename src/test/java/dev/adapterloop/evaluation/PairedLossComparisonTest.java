package dev.adapterloop.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The paired test a generation gate uses: which way it leans, how sure it is, and its refusals. */
class PairedLossComparisonTest {

    @Test
    void aCandidateWithLowerLossesOnMostExamplesIsSignificantlyBetter() {
        Random random = new Random(1);
        double[] champion = new double[200];
        double[] candidate = new double[200];
        for (int i = 0; i < champion.length; i++) {
            champion[i] = 2 + random.nextGaussian() * 0.5;
            candidate[i] = champion[i] - 0.1 + random.nextGaussian() * 0.2;
        }
        PairedLossComparison better = PairedLossComparison.of(candidate, champion);
        assertThat(better.pValue()).isLessThan(1e-4);
        assertThat(better.medianDifference()).isPositive();
        assertThat(better.candidateBetter(0.05, 100)).isTrue();
        assertThat(better.candidateBetter(0.05, 500)).as("fewer pairs than the minimum").isFalse();

        PairedLossComparison worse = PairedLossComparison.of(champion, candidate);
        assertThat(worse.pValue()).as("the other tail").isGreaterThan(0.99);
        assertThat(worse.candidateBetter(0.05, 100)).isFalse();
    }

    @Test
    void noDifferenceIsNoEvidence() {
        double[] same = {1, 2, 3, 4, 5, 6};
        assertThat(PairedLossComparison.of(same, same.clone()).pValue()).isEqualTo(1.0);
        Random random = new Random(3);
        double[] a = new double[300];
        double[] b = new double[300];
        for (int i = 0; i < a.length; i++) {
            a[i] = random.nextGaussian();
            b[i] = a[i] + random.nextGaussian() * 0.1;
        }
        assertThat(PairedLossComparison.of(a, b).pValue()).isBetween(0.01, 0.99);
    }

    @Test
    void smallSamplesUseTheExactDistribution() {
        // Six pairs, all in the candidate's favour: the exact one-sided p is 1/2^6.
        double[] champion = {3, 4, 5, 6, 7, 8};
        double[] candidate = {2.9, 3.8, 4.7, 5.6, 6.5, 7.4};
        assertThat(PairedLossComparison.of(candidate, champion).pValue()).isCloseTo(1.0 / 64,
                org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void mismatchedOrTinySamplesAreRefused() {
        assertThatThrownBy(() -> PairedLossComparison.of(new double[3], new double[4]))
                .hasMessageContaining("same examples");
        assertThatThrownBy(() -> PairedLossComparison.of(new double[1], new double[1]))
                .hasMessageContaining("at least 2");
    }
}
