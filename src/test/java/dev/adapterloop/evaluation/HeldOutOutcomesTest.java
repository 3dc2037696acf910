package dev.adapterloop.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterloop.dataset.LabeledExample;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The held-out set's identity, the outcomes' metrics and JSON form, and the refusal to pair different sets. */
class HeldOutOutcomesTest {

    private static final List<LabeledExample> SET = List.of(new LabeledExample("cheap pills", "spam"),
            new LabeledExample("lunch at noon?", "ham"), new LabeledExample("win a prize", "spam"));

    @Test
    void theDigestChangesWithOrderTextLabelOrLength() {
        String digest = HeldOutOutcomes.digestOf(SET);
        assertThat(digest).matches("[0-9a-f]{64}").isEqualTo(HeldOutOutcomes.digestOf(List.copyOf(SET)));
        assertThat(HeldOutOutcomes.digestOf(List.of(SET.get(1), SET.get(0), SET.get(2)))).isNotEqualTo(digest);
        assertThat(HeldOutOutcomes.digestOf(SET.subList(0, 2))).isNotEqualTo(digest);
        assertThat(HeldOutOutcomes.digestOf(List.of(SET.get(0), new LabeledExample("lunch at noon?", "spam"),
                SET.get(2)))).isNotEqualTo(digest);
        // a boundary moved between label and text is another set too
        assertThat(HeldOutOutcomes.digestOf(List.of(new LabeledExample("ab", "c"))))
                .isNotEqualTo(HeldOutOutcomes.digestOf(List.of(new LabeledExample("b", "ca"))));
    }

    @Test
    void metricsComeFromTheOutcomesAsTheEvaluatorComputesThem() {
        HeldOutOutcomes outcomes = new HeldOutOutcomes(HeldOutOutcomes.digestOf(SET), List.of("ham", "spam"),
                new int[]{1, 0, 1}, new int[]{1, 1, 1});
        EvaluationReport report = outcomes.report();
        assertThat(report.accuracy()).isEqualTo(2.0 / 3);
        assertThat(report.outcomes()).isEqualTo(outcomes);
        assertThat(report.correct()).containsExactly(true, false, true);
    }

    @Test
    void outcomesSurviveJson() throws Exception {
        ObjectMapper json = new ObjectMapper();
        HeldOutOutcomes outcomes = new HeldOutOutcomes(HeldOutOutcomes.digestOf(SET), List.of("ham", "spam"),
                new int[]{1, 0, 1}, new int[]{0, 0, 1});
        String text = json.writeValueAsString(outcomes);
        assertThat(text).contains("\"predicted\":[0,0,1]");
        assertThat(json.readValue(text, HeldOutOutcomes.class)).isEqualTo(outcomes);
    }

    @Test
    void pairingRequiresTheSameSetLabelsAndTruth() {
        String digest = HeldOutOutcomes.digestOf(SET);
        HeldOutOutcomes a = new HeldOutOutcomes(digest, List.of("ham", "spam"), new int[]{1, 0, 1}, new int[3]);
        assertThatThrownBy(() -> a.requireSameExamples(new HeldOutOutcomes("0".repeat(64), List.of("ham", "spam"),
                new int[]{1, 0, 1}, new int[3]))).isInstanceOf(MismatchedHeldOutException.class)
                .hasMessageContaining("different held-out sets");
        assertThatThrownBy(() -> a.requireSameExamples(new HeldOutOutcomes(digest, List.of("spam", "ham"),
                new int[]{1, 0, 1}, new int[3]))).hasMessageContaining("label orders");
        assertThatThrownBy(() -> a.requireSameExamples(new HeldOutOutcomes(digest, List.of("ham", "spam"),
                new int[]{1, 1, 1}, new int[3]))).hasMessageContaining("disagree on the true labels");
    }

    @Test
    void badOutcomesAreRefused() {
        assertThatThrownBy(() -> new HeldOutOutcomes("xyz", List.of("a"), new int[1], new int[1]))
                .hasMessageContaining("heldOutSha256");
        assertThatThrownBy(() -> new HeldOutOutcomes("0".repeat(64), List.of("a", "b"), new int[2], new int[1]))
                .hasMessageContaining("of one length");
        assertThatThrownBy(() -> new HeldOutOutcomes("0".repeat(64), List.of("a", "b"), new int[]{0},
                new int[]{2})).hasMessageContaining("outside 0..1");
    }
}
