package dev.adapterloop.observability;

import dev.adapterloop.training.JobLogContext;
import dev.adapterloop.training.JobStopped;
import dev.adapterloop.training.JobStarted;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.adapterloop.events.DatasetRef;
import dev.adapterloop.training.JobOutcome;
import dev.adapterloop.training.TrainingJob;
import dev.adapterloop.training.TrainingProgress;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class PipelineMetricsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AtomicInteger queued = new AtomicInteger();
    private final PipelineMetrics metrics = new PipelineMetrics(registry, Set.of("spam"), Optional.of(queued::get));

    @Test
    void aJobCountsStartStepsRatesAndItsEnd() {
        metrics.onStarted(new JobStarted("job-1", "spam"));
        assertThat(gauge("adapterloop.jobs.running")).isEqualTo(1);

        try (JobLogContext context = JobLogContext.open("job-1", "spam")) {
            metrics.onProgress(progress(3, Duration.ofSeconds(2), 24.0));
            metrics.onProgress(progress(5, Duration.ofSeconds(4), 20.0)); // two steps since the last event
        }
        assertThat(registry.get("adapterloop.training.steps").tag("task", "spam").counter().count()).isEqualTo(5);
        assertThat(registry.get("adapterloop.training.steps.per.second").tag("task", "spam").gauge().value())
                .isEqualTo(1.25);
        assertThat(registry.get("adapterloop.training.examples.per.second").tag("task", "spam").gauge().value())
                .isEqualTo(20.0);

        metrics.onOutcome(new JobOutcome(job("job-1", "spam"), true, "v1", "adapters/spam/v1/", null, null, null, null, null));
        assertThat(registry.get("adapterloop.jobs.started").tag("task", "spam").counter().count()).isEqualTo(1);
        assertThat(registry.get("adapterloop.jobs.succeeded").tag("task", "spam").counter().count()).isEqualTo(1);
        assertThat(registry.get("adapterloop.job.duration").tag("outcome", "succeeded").timer().count()).isEqualTo(1);
        assertThat(gauge("adapterloop.jobs.running")).isZero();
        assertThat(registry.get("adapterloop.training.steps.per.second").tag("task", "spam").gauge().value()).isZero();
    }

    /** A job cancelled for a revoked partition (or taken over) has no outcome; it must still stop counting as running. */
    @Test
    void aStoppedJobNoLongerCountsAsRunning() {
        metrics.onStarted(new JobStarted("job-4", "spam"));
        try (JobLogContext context = JobLogContext.open("job-4", "spam")) {
            metrics.onProgress(progress(3, Duration.ofSeconds(2), 24.0));
        }
        assertThat(gauge("adapterloop.jobs.running")).isEqualTo(1);

        metrics.onStopped(new JobStopped("job-4", "spam", "stopped at step 3 of 10: partition 0 was revoked"));
        assertThat(gauge("adapterloop.jobs.running")).isZero();
        assertThat(registry.get("adapterloop.jobs.stopped").tag("task", "spam").counter().count()).isEqualTo(1);
        assertThat(registry.get("adapterloop.training.steps.per.second").tag("task", "spam").gauge().value()).isZero();

        // Run again later (assigned back): it counts once more, and its end is counted once.
        metrics.onStarted(new JobStarted("job-4", "spam"));
        metrics.onOutcome(new JobOutcome(job("job-4", "spam"), true, "v1", "adapters/spam/v1/", null, null, null, null, null));
        metrics.onStopped(new JobStopped("job-4", "spam", "a late duplicate"));
        assertThat(gauge("adapterloop.jobs.running")).isZero();
    }

    @Test
    void failuresAreCountedByReasonClassAndUnknownTasksShareOneTag() {
        metrics.onStarted(new JobStarted("job-2", "spam"));
        metrics.onOutcome(JobOutcomes.failed(job("job-2", "spam"),
                "ObjectStoreException: cannot get 'x' in bucket 'b': 503 SlowDown"));
        metrics.onOutcome(JobOutcomes.failed(job("job-3", "made-up-task"), "a sentence, not a class: really"));

        assertThat(registry.get("adapterloop.jobs.failed").tag("task", "spam").tag("reason", "ObjectStoreException")
                .counter().count()).isEqualTo(1);
        assertThat(registry.get("adapterloop.jobs.failed").tag("task", "other").tag("reason", "other")
                .counter().count()).isEqualTo(1);
        assertThat(registry.get("adapterloop.job.duration").tag("outcome", "failed").timer().count()).isEqualTo(1);
        assertThat(gauge("adapterloop.jobs.running")).isZero();
    }

    @Test
    void intakeOutcomesLagAndQueueDepth() {
        metrics.recordIntake("spam", IntakeOutcome.ACCEPTED);
        metrics.recordIntake("spam", IntakeOutcome.DUPLICATE);
        metrics.recordIntake("spam", IntakeOutcome.rejected(new IllegalArgumentException("bad")));
        metrics.recordIntake("../../etc", IntakeOutcome.rejected("unknown task"));
        metrics.recordEventLag("spam", Duration.ofMillis(1500));
        metrics.recordEventLag("spam", Duration.ofMillis(-20));
        queued.set(4);

        assertThat(registry.get("adapterloop.intake.events").tag("outcome", "accepted").counter().count()).isEqualTo(1);
        assertThat(registry.get("adapterloop.intake.events").tag("outcome", "duplicate").counter().count()).isEqualTo(1);
        assertThat(registry.get("adapterloop.intake.events").tag("task", "spam").tag("outcome", "rejected")
                .tag("reason", "IllegalArgumentException").counter().count()).isEqualTo(1);
        assertThat(registry.get("adapterloop.intake.events").tag("task", "other").tag("reason", "other")
                .counter().count()).isEqualTo(1);
        var lag = registry.get("adapterloop.intake.event.lag").tag("task", "spam").timer();
        assertThat(lag.count()).isEqualTo(2);
        assertThat(lag.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(1500);
        assertThat(gauge("adapterloop.training.queue.depth")).isEqualTo(4);
    }

    @Test
    void reasonClassTakesTheClassNameBeforeTheColon() {
        assertThat(PipelineMetrics.reasonClass("TrainingFailedException: task 'x' is not configured"))
                .isEqualTo("TrainingFailedException");
        assertThat(PipelineMetrics.reasonClass("NullPointerException")).isEqualTo("NullPointerException");
        assertThat(PipelineMetrics.reasonClass("two words: x")).isEqualTo("other");
        assertThat(PipelineMetrics.reasonClass(null)).isEqualTo("other");
    }

    private double gauge(String name) {
        return registry.get(name).gauge().value();
    }

    private static TrainingProgress progress(int step, Duration elapsed, double examplesPerSecond) {
        return new TrainingProgress(step, 24, 1, 0.5, 1e-3, examplesPerSecond, 1000, elapsed, Duration.ofSeconds(10));
    }

    static TrainingJob job(String jobId, String task) {
        return new TrainingJob(jobId, task, "event-" + jobId, List.of(new DatasetRef("datasets/" + task + "/a.jsonl",
                null, null)), new DatasetRef("datasets/" + task + "/held-out.jsonl", null, null));
    }

    /** JobOutcome's own factories are package-private to training. */
    static final class JobOutcomes {
        static JobOutcome failed(TrainingJob job, String reason) {
            return new JobOutcome(job, false, null, null, null, null, null, reason, null);
        }
    }
}
