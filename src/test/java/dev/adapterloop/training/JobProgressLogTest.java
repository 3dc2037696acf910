package dev.adapterloop.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.adapterloop.embedded.EmbeddedS3;
import dev.adapterloop.events.DatasetRef;
import dev.adapterloop.registry.ObjectStore;
import dev.adapterloop.registry.PipelineRecords;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running job's progress on a real S3 server: written at the first step, then at most once per interval, and at the
 * last step; read back only for the attempt that wrote it and only while the job runs.
 */
class JobProgressLogTest {

    private static EmbeddedS3 server;
    private static ObjectStore store;

    @BeforeAll
    static void start(@TempDir Path dir) {
        server = EmbeddedS3.start(EmbeddedS3.Settings.of(dir, "progress-access", "progress-secret-0123456789"));
        store = new ObjectStore(ObjectStore.Settings.of(server.endpoint(), "progress-access",
                "progress-secret-0123456789", "progress-test"));
        store.ensureBucket();
    }

    @AfterAll
    static void stop() {
        store.close();
        server.close();
    }

    @Test
    void aHundredStepsInTenSecondsCostAFewWritesAndTheLastStepIsAlwaysWritten() {
        MutableClock clock = new MutableClock();
        JobProgressLog log = new JobProgressLog(new PipelineRecords(store), clock);
        JobRecord job = running("job-progress-throttle", 1);
        List<Integer> written = new ArrayList<>();
        for (int step = 1; step <= 100; step++) {
            log.report(job, progress(step, 100));
            int stored = log.of(job).orElseThrow().step();
            if (written.isEmpty() || written.getLast() != stored) {
                written.add(stored);
            }
            clock.advance(Duration.ofMillis(100));
        }
        // 10 s of steps, one write per 3 s interval at most: steps 1, 31, 61, 91, plus the last one.
        assertThat(written).containsExactly(1, 31, 61, 91, 100);
        JobProgress last = log.of(job).orElseThrow();
        assertThat(last.step()).isEqualTo(100);
        assertThat(last.totalSteps()).isEqualTo(100);
        assertThat(last.attempt()).isEqualTo(1);
    }

    @Test
    void progressOfAnEarlierAttemptOrOfAFinishedJobIsNotShown() {
        JobProgressLog log = new JobProgressLog(new PipelineRecords(store), new MutableClock());
        JobRecord first = running("job-progress-attempts", 1);
        log.report(first, progress(3, 10));
        assertThat(log.of(first)).isPresent();
        assertThat(log.of(running("job-progress-attempts", 2))).as("the next attempt has not reported").isEmpty();
        assertThat(log.of(first.succeeded("v-0123456789abcdef"))).as("a finished job").isEmpty();
    }

    private static JobRecord running(String jobId, int attempts) {
        DatasetRef data = new DatasetRef("datasets/t/a.jsonl", 2L, "0".repeat(64));
        return new JobRecord(JobRecord.SCHEMA_VERSION, jobId, "progress-task", JobRecord.State.RUNNING, List.of(data),
                data, List.of(), 0, attempts, "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z", null, null, null, null,
                List.of());
    }

    private static TrainingProgress progress(int step, int total) {
        return new TrainingProgress(step, total, 1, 0.5, 1e-3, 10, 100, Duration.ofSeconds(step),
                Duration.ofSeconds(total - step));
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
