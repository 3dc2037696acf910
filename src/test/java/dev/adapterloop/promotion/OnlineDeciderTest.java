package dev.adapterloop.promotion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The online decision's rules one at a time, and the state's JSON round trip. */
class OnlineDeciderTest {

    private static final Instant T0 = Instant.parse("2026-02-01T00:00:00Z");
    private static final OnlineSettings SETTINGS = new OnlineSettings(0.05, 0.03, 100, 2000, Duration.ofDays(1),
            Duration.ofHours(6), 1000, 0.05, 1.5, 50);
    private final OnlineDecider decider = new OnlineDecider(SETTINGS);

    @Test
    void nothingIsDecidedBeforeTheMinimumSamplesEvenOnAHugeEffect() {
        ExperimentState state = feed(start(), 99, 0.0, 1.0, 20, 20);
        OnlineDecider.Decision decision = decider.decide(state, T0.plusSeconds(60));
        assertThat(decision.outcome()).isEqualTo(OnlineOutcome.CONTINUE);
        assertThat(decision.next().pValue()).isEqualTo(1.0);
        assertThat(decision.evidence().reason()).isEqualTo("collecting the minimum samples");
    }

    @Test
    void aClearlyBetterChallengerIsPromotedAndMonitoringStartsWithTheRolesSwapped() {
        ExperimentState state = feed(start(), 300, 0.80, 0.95, 20, 20);
        OnlineDecider.Decision decision = decider.decide(state, T0.plusSeconds(600));
        assertThat(decision.outcome()).isEqualTo(OnlineOutcome.PROMOTE);
        assertThat(decision.evidence().pValue()).isLessThanOrEqualTo(0.05);
        assertThat(decision.evidence().effect()).isCloseTo(0.15, org.assertj.core.api.Assertions.within(0.01));
        ExperimentState next = decision.next();
        assertThat(next.phase()).isEqualTo(ExperimentState.Phase.MONITORING);
        assertThat(next.champion()).isEqualTo("v-new");
        assertThat(next.challenger()).isEqualTo("v-old");
        assertThat(next.pValue()).isEqualTo(1.0);
        assertThat(next.championArm().outcomes()).isZero();
        assertThat(next.startedAt()).isEqualTo(T0.plusSeconds(600));
    }

    @Test
    void aBetterChallengerThatBreaksTheErrorGuardrailIsRejected() {
        ExperimentState state = feed(start(), 300, 0.80, 0.95, 20, 20);
        for (int i = 0; i < 40; i++) {
            state = state.withRequest("challenger", "v-new", 20, true);
        }
        OnlineDecider.Decision decision = decider.decide(state, T0.plusSeconds(600));
        assertThat(decision.outcome()).isEqualTo(OnlineOutcome.REJECT);
        assertThat(decision.evidence().reason()).startsWith("guardrail broken: challenger error rate");
        assertThat(decision.next().phase()).isEqualTo(ExperimentState.Phase.CLOSED);
        assertThat(decision.next().closedWith()).isEqualTo("reject");
    }

    @Test
    void aSlowChallengerIsVetoedByTheLatencyRatio() {
        ExperimentState state = feed(start(), 300, 0.80, 0.95, 20, 40);
        OnlineDecider.Decision decision = decider.decide(state, T0.plusSeconds(600));
        assertThat(decision.outcome()).isEqualTo(OnlineOutcome.REJECT);
        assertThat(decision.evidence().guardrails().get(1).observed()).isGreaterThan(1.5);
    }

    @Test
    void anUndecidedExperimentIsRejectedAtTheMaximumDuration() {
        ExperimentState state = feed(start(), 300, 0.90, 0.90, 20, 20);
        assertThat(decider.decide(state, T0.plusSeconds(3600)).outcome()).isEqualTo(OnlineOutcome.CONTINUE);
        OnlineDecider.Decision late = decider.decide(state, T0.plus(Duration.ofDays(1)));
        assertThat(late.outcome()).isEqualTo(OnlineOutcome.REJECT);
        assertThat(late.evidence().reason()).isEqualTo("inconclusive at the maximum duration");
    }

    @Test
    void aNewChampionWorseThanThePreviousOneIsRolledBack() {
        ExperimentState monitoring = start().monitoring(T0);
        // champion arm: the new champion (v-new) at 0.80; challenger arm: the previous (v-old) at 0.95
        ExperimentState state = feedVersions(monitoring, 300, 0.80, 0.95);
        OnlineDecider.Decision decision = decider.decide(state, T0.plusSeconds(600));
        assertThat(decision.outcome()).isEqualTo(OnlineOutcome.ROLL_BACK);
        assertThat(decision.evidence().phase()).isEqualTo("monitoring");
    }

    @Test
    void monitoringWithoutARegressionEndsWithKeep() {
        ExperimentState state = feedVersions(start().monitoring(T0), 300, 0.90, 0.90);
        assertThat(decider.decide(state, T0.plus(Duration.ofHours(6))).outcome()).isEqualTo(OnlineOutcome.KEEP);
    }

    @Test
    void feedbackOnAVersionTheArmNoLongerHoldsIsIgnored() {
        ExperimentState state = start().withOutcome("challenger", "v-somebody-else", 1)
                .withOutcome("champion", "v-new", 1).withRequest("challenger", "v-old", 5, false);
        assertThat(state.championArm().outcomes()).isZero();
        assertThat(state.challengerArm().outcomes()).isZero();
        assertThat(state.challengerArm().requests()).isZero();
    }

    @Test
    void theRunningPValueNeverRises() {
        ExperimentState state = feed(start(), 200, 0.85, 0.93, 20, 20);
        OnlineDecider.Decision first = decider.decide(state, T0.plusSeconds(1));
        ExperimentState worse = feed(first.next(), 400, 0.93, 0.85, 20, 20);
        OnlineDecider.Decision second = decider.decide(worse, T0.plusSeconds(2));
        assertThat(second.next().pValue()).isLessThanOrEqualTo(first.next().pValue());
    }

    @Test
    void aClosedExperimentTakesNoMoreDecisions() {
        ExperimentState closed = decider.decide(feed(start(), 300, 0.90, 0.90, 20, 20),
                T0.plus(Duration.ofDays(2))).next();
        assertThatThrownBy(() -> decider.decide(closed, T0)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed (reject)");
    }

    @Test
    void theStateSurvivesAJsonRoundTripExactly() throws Exception {
        ObjectMapper json = new ObjectMapper().findAndRegisterModules();
        ExperimentState state = decider.decide(feed(start(), 150, 0.85, 0.9, 17.5, 23), T0.plusSeconds(9)).next();
        String text = json.writeValueAsString(state);
        ExperimentState back = json.readValue(text, ExperimentState.class);
        assertThat(back).isEqualTo(state);
        assertThat(back.pValue()).isEqualTo(state.pValue()).isLessThan(1.0);
        assertThat(back.challengerArm().p95LatencyMillis()).isEqualTo(state.challengerArm().p95LatencyMillis());
        assertThat(text).contains("\"phase\":\"experiment\"");
        // and the decision on the restored state is the same
        assertThat(decider.decide(back, T0.plusSeconds(10))).usingRecursiveComparison()
                .isEqualTo(decider.decide(state, T0.plusSeconds(10)));
    }

    @Test
    void aStateOfAnotherSchemaVersionIsRefused() {
        ObjectMapper json = new ObjectMapper().findAndRegisterModules();
        String text = "{\"schemaVersion\":2,\"task\":\"spam\",\"phase\":\"experiment\",\"champion\":\"a\","
                + "\"challenger\":\"b\",\"startedAt\":\"2026-02-01T00:00:00Z\",\"championArm\":null}";
        assertThatThrownBy(() -> json.readValue(text, ExperimentState.class))
                .hasMessageContaining("schemaVersion 2");
    }

    private static ExperimentState start() {
        return ExperimentState.start("spam", "v-old", "v-new", T0);
    }

    /** n outcomes per arm at exactly the given accuracies (deterministic pattern) and requests at fixed latencies. */
    private static ExperimentState feed(ExperimentState state, int n, double championAccuracy,
                                        double challengerAccuracy, double championMs, double challengerMs) {
        ExperimentState s = state;
        for (int i = 0; i < n; i++) {
            s = s.withOutcome("champion", s.champion(), i < championAccuracy * n ? 1 : 0)
                    .withOutcome("challenger", s.challenger(), i < challengerAccuracy * n ? 1 : 0)
                    .withRequest("champion", s.champion(), championMs, false)
                    .withRequest("challenger", s.challenger(), challengerMs, false);
        }
        return s;
    }

    private static ExperimentState feedVersions(ExperimentState state, int n, double championAccuracy,
                                                double challengerAccuracy) {
        return feed(state, n, championAccuracy, challengerAccuracy, 20, 20);
    }
}
