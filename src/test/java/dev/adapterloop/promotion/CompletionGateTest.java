package dev.adapterloop.promotion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.adapterloop.evaluation.CompletionOutcomes;
import dev.adapterloop.evaluation.MismatchedHeldOutException;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The generation gate's verdicts and evidence on constructed per-example losses (200 held-out examples). */
class CompletionGateTest {

    private static final int N = 200;
    private static final String SET = "d".repeat(64);
    private final CompletionGate gate = new CompletionGate(GateSettings.DEFAULTS);

    @Test
    void theFirstAdapterBecomesChampionWhenItsLossIsBelowTheBaseModels() {
        CompletionGateEvidence evidence = gate.decide(scored("v1", losses(1.0, 0.2, 1)), losses(4.0, 0.5, 2),
                Optional.empty());
        assertThat(evidence.verdict()).isEqualTo(GateVerdict.PROMOTE_TO_CHAMPION);
        assertThat(evidence.paired()).isNull();
        assertThat(evidence.baseMetrics().meanLoss()).isGreaterThan(evidence.candidateMetrics().meanLoss());
        assertThat(evidence.checks()).singleElement().satisfies(check -> {
            assertThat(check.metric()).isEqualTo("loss-reduction-vs-base");
            assertThat(check.observed()).isCloseTo(3.0, org.assertj.core.data.Offset.offset(0.1));
            assertThat(check.passed()).isTrue();
        });
    }

    @Test
    void anAdapterThatMakesTheModelWorseThanItsBaseIsRejected() {
        CompletionGateEvidence evidence = gate.decide(scored("v1", losses(3.0, 0.2, 1)), losses(2.5, 0.2, 2),
                Optional.empty());
        assertThat(evidence.verdict()).isEqualTo(GateVerdict.REJECT);
        assertThat(evidence.failed()).containsExactly("held-out loss below the base model's");
    }

    @Test
    void aCandidateWithSignificantlyLowerLossesThanTheChampionBecomesChallenger() {
        CompletionOutcomes champion = losses(1.0, 0.3, 3);
        CompletionGateEvidence evidence = gate.decide(scored("v2", shifted(champion, -0.1, 4)),
                losses(4.0, 0.5, 2), Optional.of(new CompletionGate.Scored("v1", champion)));
        assertThat(evidence.verdict()).isEqualTo(GateVerdict.PROMOTE_TO_CHALLENGER);
        assertThat(evidence.champion()).isEqualTo("v1");
        assertThat(evidence.paired().test()).isEqualTo("wilcoxon-signed-rank");
        assertThat(evidence.paired().pairs()).isEqualTo(N);
        assertThat(evidence.paired().pValue()).isLessThan(1e-6);
        assertThat(evidence.paired().significant()).isTrue();
        assertThat(evidence.failed()).isEmpty();
    }

    @Test
    void aCandidateNoBetterThanTheChampionIsRejectedByThePairedTest() {
        CompletionOutcomes champion = losses(1.0, 0.3, 3);
        // Same losses up to noise: lower on average by a hair, but not significantly.
        CompletionGateEvidence evidence = gate.decide(scored("v2", shifted(champion, -0.0005, 5)),
                losses(4.0, 0.5, 2), Optional.of(new CompletionGate.Scored("v1", champion)));
        assertThat(evidence.verdict()).isEqualTo(GateVerdict.REJECT);
        assertThat(evidence.paired().significant()).isFalse();
        assertThat(evidence.failed()).contains("Wilcoxon p-value (candidate-loss-lower)");
    }

    @Test
    void tooFewHeldOutExamplesFailTheSampleSizeCheckEvenWhenSignificant() {
        CompletionGate strict = new CompletionGate(new GateSettings(true, 0, 0, Optional.of(0.0), Optional.empty(),
                Optional.empty(), Optional.empty(), true, 0.05, McNemar.Alternative.GREATER, 500));
        CompletionOutcomes champion = losses(1.0, 0.3, 3);
        CompletionGateEvidence evidence = strict.decide(scored("v2", shifted(champion, -0.2, 4)),
                losses(4.0, 0.5, 2), Optional.of(new CompletionGate.Scored("v1", champion)));
        assertThat(evidence.verdict()).isEqualTo(GateVerdict.REJECT);
        assertThat(evidence.failed()).containsExactly("held-out examples");
    }

    @Test
    void outcomesOfDifferentHeldOutSetsAreNotCompared() {
        CompletionOutcomes other = new CompletionOutcomes("e".repeat(64), N, 400, 1, Math.E, null, new double[N]);
        assertThatThrownBy(() -> gate.decide(scored("v2", losses(1.0, 0.2, 1)), losses(4.0, 0.5, 2),
                Optional.of(new CompletionGate.Scored("v1", other))))
                .isInstanceOf(MismatchedHeldOutException.class).hasMessageContaining("different held-out sets");
    }

    private static CompletionGate.Scored scored(String version, CompletionOutcomes outcomes) {
        return new CompletionGate.Scored(version, outcomes);
    }

    private static CompletionOutcomes losses(double mean, double spread, long seed) {
        Random random = new Random(seed);
        double[] perExample = new double[N];
        for (int i = 0; i < N; i++) {
            perExample[i] = Math.max(0.01, mean + spread * random.nextGaussian());
        }
        return outcomes(perExample);
    }

    private static CompletionOutcomes shifted(CompletionOutcomes of, double by, long seed) {
        Random random = new Random(seed);
        double[] perExample = of.perExampleLoss().clone();
        for (int i = 0; i < N; i++) {
            perExample[i] = Math.max(0.001, perExample[i] + by + 0.01 * random.nextGaussian());
        }
        return outcomes(perExample);
    }

    private static CompletionOutcomes outcomes(double[] perExample) {
        double mean = Arrays.stream(perExample).average().orElseThrow();
        return new CompletionOutcomes(SET, N, 2L * N, mean, Math.exp(mean), null, perExample);
    }
}
