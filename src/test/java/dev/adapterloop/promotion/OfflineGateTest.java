package dev.adapterloop.promotion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterloop.evaluation.HeldOutOutcomes;
import dev.adapterloop.evaluation.MismatchedHeldOutException;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The offline gate's verdicts and evidence on constructed held-out outcomes (400 examples, half of each label). */
class OfflineGateTest {

    private static final int N = 400;
    private static final String SET = "c".repeat(64);
    private final OfflineGate gate = new OfflineGate(GateSettings.DEFAULTS);

    @Test
    void theFirstAdapterBecomesChampionWhenItPassesTheValueThresholds() {
        GateEvidence evidence = gate.decide(scored("v1", wrongOn(0, 40)), Optional.empty());
        assertThat(evidence.verdict()).isEqualTo(GateVerdict.PROMOTE_TO_CHAMPION);
        assertThat(evidence.significance()).isNull();
        assertThat(evidence.candidateMetrics().accuracy()).isEqualTo(0.9);
        assertThat(evidence.checks()).extracting(GateEvidence.Check::kind).containsOnly("value");
    }

    @Test
    void theFirstAdapterIsRejectedWhenItDoesNotBeatTheMajorityBaseline() {
        // predicts "ham" for everything: accuracy 0.5 = the majority baseline
        int[] allHam = new int[N];
        GateEvidence evidence = gate.decide(new OfflineGate.Scored("v1",
                new HeldOutOutcomes(SET, List.of("ham", "spam"), truth(), allHam)), Optional.empty());
        assertThat(evidence.verdict()).isEqualTo(GateVerdict.REJECT);
        assertThat(evidence.failed()).containsExactly("accuracy above majority baseline");
    }

    @Test
    void aSignificantlyBetterCandidateBecomesChallenger() {
        // champion wrong on 0..39, candidate wrong on 30..44: b = 30, c = 5
        GateEvidence evidence = gate.decide(scored("v2", wrongOn(30, 45)),
                Optional.of(scored("v1", wrongOn(0, 40))));
        assertThat(evidence.verdict()).isEqualTo(GateVerdict.PROMOTE_TO_CHALLENGER);
        assertThat(evidence.significance().b()).isEqualTo(30);
        assertThat(evidence.significance().c()).isEqualTo(5);
        assertThat(evidence.significance().pValue()).isLessThan(1e-4);
        assertThat(evidence.champion()).isEqualTo("v1");
        assertThat(evidence.failed()).isEmpty();
    }

    @Test
    void aSlightlyBetterCandidateIsRejectedForLackOfSignificance() {
        // champion wrong on 0..39, candidate on 0..35 only: b = 4, c = 0, one-sided p = 1/16
        GateEvidence evidence = gate.decide(scored("v2", wrongOn(0, 36)),
                Optional.of(scored("v1", wrongOn(0, 40))));
        assertThat(evidence.verdict()).isEqualTo(GateVerdict.REJECT);
        assertThat(evidence.significance().pValue()).isEqualTo(0.0625);
        assertThat(evidence.failed()).containsExactly("McNemar p-value (candidate-better)");
        GateEvidence.Check change = evidence.checks().stream().filter(c -> c.kind().equals("change-absolute"))
                .findFirst().orElseThrow();
        assertThat(change.passed()).isTrue();
        assertThat(change.observed()).isEqualTo(0.01, org.assertj.core.api.Assertions.within(1e-12));
    }

    @Test
    void aWorseCandidateFailsTheChangeThresholdAndTheTest() {
        GateEvidence evidence = gate.decide(scored("v2", wrongOn(0, 60)),
                Optional.of(scored("v1", wrongOn(0, 40))));
        assertThat(evidence.verdict()).isEqualTo(GateVerdict.REJECT);
        assertThat(evidence.failed()).containsExactly("accuracy change vs champion",
                "McNemar p-value (candidate-better)");
    }

    @Test
    void tooFewHeldOutExamplesRejectEvenASignificantWin() {
        OfflineGate strict = new OfflineGate(new GateSettings(true, 0, 0, Optional.of(0.0), Optional.empty(),
                Optional.empty(), Optional.empty(), true, 0.05, McNemar.Alternative.GREATER, 1000));
        GateEvidence evidence = strict.decide(scored("v2", wrongOn(30, 45)), Optional.of(scored("v1",
                wrongOn(0, 40))));
        assertThat(evidence.verdict()).isEqualTo(GateVerdict.REJECT);
        assertThat(evidence.failed()).containsExactly("held-out examples");
    }

    @Test
    void relativeAndValueThresholdsAreCheckedWithTheirObservedValues() {
        OfflineGate strict = new OfflineGate(new GateSettings(true, 0.95, 0.5, Optional.empty(), Optional.of(0.05),
                Optional.of(0.0), Optional.empty(), false, 0.05, McNemar.Alternative.GREATER, 1));
        GateEvidence evidence = strict.decide(scored("v2", wrongOn(30, 45)), Optional.of(scored("v1",
                wrongOn(0, 40))));
        // accuracy 0.9625 vs 0.9: relative change 0.0694
        assertThat(evidence.verdict()).isEqualTo(GateVerdict.PROMOTE_TO_CHALLENGER);
        assertThat(evidence.significance()).isNull();
        GateEvidence.Check relative = evidence.checks().stream().filter(c -> c.kind().equals("change-relative"))
                .findFirst().orElseThrow();
        assertThat(relative.observed()).isCloseTo(0.0625 / 0.9, org.assertj.core.api.Assertions.within(1e-12));
        GateEvidence rejected = strict.decide(scored("v2", wrongOn(0, 38)), Optional.of(scored("v1",
                wrongOn(0, 40))));
        assertThat(rejected.failed()).containsExactly("accuracy", "accuracy relative change vs champion");
    }

    @Test
    void outcomesOnAnotherHeldOutSetAreRefused() {
        HeldOutOutcomes elsewhere = new HeldOutOutcomes("d".repeat(64), List.of("ham", "spam"), truth(),
                truth());
        assertThatThrownBy(() -> gate.decide(scored("v2", wrongOn(0, 1)), Optional.of(new OfflineGate.Scored("v1",
                elsewhere)))).isInstanceOf(MismatchedHeldOutException.class).hasMessageContaining(SET);
    }

    @Test
    void theEvidenceIsJsonWithEveryThreshold() throws Exception {
        ObjectMapper json = new ObjectMapper();
        JsonNode node = json.readTree(json.writeValueAsString(gate.decide(scored("v2", wrongOn(30, 45)),
                Optional.of(scored("v1", wrongOn(0, 40))))));
        assertThat(node.get("verdict").asText()).isEqualTo("promote-to-challenger");
        assertThat(node.get("significance").get("b").asInt()).isEqualTo(30);
        assertThat(node.get("significance").get("alternative").asText()).isEqualTo("candidate-better");
        assertThat(node.get("checks")).hasSize(6);
        assertThat(node.get("checks").get(0).get("observed").asDouble()).isEqualTo(0.9625);
        assertThat(node.get("examples").asInt()).isEqualTo(N);
    }

    private static OfflineGate.Scored scored(String version, int[] predicted) {
        return new OfflineGate.Scored(version, new HeldOutOutcomes(SET, List.of("ham", "spam"), truth(), predicted));
    }

    /** Truth: the first half ham (0), the second spam (1). */
    private static int[] truth() {
        return IntStream.range(0, N).map(i -> i < N / 2 ? 0 : 1).toArray();
    }

    /** Right everywhere except examples from..to-1. */
    private static int[] wrongOn(int from, int to) {
        int[] predicted = truth();
        for (int i = from; i < to; i++) {
            predicted[i] = 1 - predicted[i];
        }
        return predicted;
    }
}
