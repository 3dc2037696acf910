package dev.adapterloop.promotion;

import static org.assertj.core.api.Assertions.assertThat;

import dev.adapterloop.registry.AliasTarget;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the A/B page reads, over a real S3 server: the experiment state keeps a bounded trace of the always-valid
 * p-value (one point per outcome, none per request), and a decision is kept with its evidence and that trace.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ExperimentTraceTest {

    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

    @TempDir
    static Path serverDir;
    private static PromotionS3 s3;

    @BeforeAll
    static void start() {
        s3 = new PromotionS3(serverDir);
    }

    @AfterAll
    static void stop() {
        s3.close();
    }

    @Test
    void everyOutcomeAddsAPointRequestsAddNoneAndTheTraceStaysBounded() {
        String task = "traced";
        OnlineExperiments experiments = experiments(task, settings(100_000));
        for (int i = 0; i < 10; i++) {
            experiments.observe(task, s -> s.withRequest("champion", "v-old", 20, false));
        }
        assertThat(experiments.current(task).orElseThrow().trace()).isEmpty();
        for (int i = 1; i <= 3; i++) {
            experiments.observe(task, s -> s.withOutcome("champion", "v-old", 1));
        }
        List<ExperimentState.TracePoint> three = experiments.current(task).orElseThrow().trace();
        assertThat(three).extracting(ExperimentState.TracePoint::championSamples).containsExactly(1L, 2L, 3L);
        assertThat(three).allSatisfy(p -> assertThat(p.pValue()).isEqualTo(1.0));

        for (int i = 0; i < ExperimentState.MAX_TRACE + 50; i++) {
            experiments.observe(task, s -> s.withOutcome("challenger", "v-new", 1));
        }
        List<ExperimentState.TracePoint> trace = experiments.current(task).orElseThrow().trace();

        assertThat(trace.size()).isBetween(ExperimentState.MAX_TRACE / 2, ExperimentState.MAX_TRACE);
        assertThat(trace.getFirst().championSamples()).as("thinning keeps the start").isEqualTo(1);
        assertThat(trace.getLast().challengerSamples()).as("and the latest").isEqualTo(ExperimentState.MAX_TRACE + 50);
    }

    @Test
    void aDecisionIsKeptWithItsEvidenceAndTraceAndTheNextPhaseStartsAFreshTrace() {
        String task = "decided";
        OnlineExperiments experiments = experiments(task, settings(100));
        OnlineOutcome last = OnlineOutcome.CONTINUE;
        for (int i = 0; i < 400 && last == OnlineOutcome.CONTINUE; i++) {
            boolean championRight = i % 5 != 0;
            last = experiments.observe(task, s -> s.withOutcome("champion", "v-old", championRight ? 1 : 0)
                    .withOutcome("challenger", "v-new", 1)
                    .withRequest("champion", "v-old", 20, false).withRequest("challenger", "v-new", 21, false))
                    .orElseThrow().decision().outcome();
        }
        assertThat(last).isEqualTo(OnlineOutcome.PROMOTE);
        assertThat(s3.aliases.read(task).alias("champion").map(AliasTarget::version)).contains("v-new");
        ExperimentState monitoring = experiments.current(task).orElseThrow();
        assertThat(monitoring.phase()).isEqualTo(ExperimentState.Phase.MONITORING);
        assertThat(monitoring.trace()).isEmpty();

        List<ExperimentDecision> decisions = experiments.decisions(task, 20);
        assertThat(decisions).singleElement().satisfies(d -> {
            assertThat(d.outcome()).isEqualTo(OnlineOutcome.PROMOTE);
            assertThat(d.applied()).isEqualTo("applied");
            assertThat(d.evidence().pValue()).isLessThanOrEqualTo(0.05);
            assertThat(d.evidence().guardrails()).hasSize(2);
            assertThat(d.trace()).isNotEmpty();
            assertThat(d.trace().getLast().pValue()).isEqualTo(d.evidence().pValue());
            assertThat(d.trace().getLast().challengerSamples()).isEqualTo(d.evidence().challengerArm().samples());
        });
    }

    private static OnlineSettings settings(long minSamples) {
        return new OnlineSettings(0.05, 0.03, minSamples, Math.max(minSamples, 2000), Duration.ofDays(14),
                Duration.ofDays(3), Math.max(minSamples, 1000), 0.05, 1.5, 30);
    }

    private static OnlineExperiments experiments(String task, OnlineSettings settings) {
        s3.putVersion(task, "v-old");
        s3.putVersion(task, "v-new");
        assertThat(s3.aliases.compareAndSet(task, 0, "champion", "v-old", "first", "test")).isTrue();
        assertThat(s3.aliases.compareAndSet(task, 1, "challenger", "v-new", "gated", "test")).isTrue();
        OnlineExperiments experiments = new OnlineExperiments(s3.records, t -> new OnlineDecider(settings),
                s3.service, Clock.fixed(T0.plusSeconds(60), ZoneOffset.UTC));
        experiments.start(task, "v-old", "v-new");
        return experiments;
    }
}
