package dev.adapterloop.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.adapterloop.events.DatasetRef;
import dev.adapterloop.registry.BaseModelMissingException;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The record side of a retry, and how a missing base model is classified (no bucket, no Quarkus). */
class JobRetryRecordTest {

    private static final DatasetRef TRAIN = new DatasetRef("datasets/spam/a.jsonl", 2L, "a".repeat(64));
    private static final DatasetRef HELD_OUT = new DatasetRef("datasets/spam/h.jsonl", 2L, "b".repeat(64));

    @Test
    void aMissingBaseModelIsItsOwnKindNotBadDataEvenWhenWrapped() {
        BaseModelMissingException missing = new BaseModelMissingException("m", "base model 'm' is not in the bucket");
        assertThat(FailureKind.of(missing)).isEqualTo(FailureKind.BASE_MODEL_MISSING);
        assertThat(FailureKind.of(new IllegalStateException("loading failed", missing)))
                .isEqualTo(FailureKind.BASE_MODEL_MISSING);
        assertThat(FailureKind.BASE_MODEL_MISSING.wireName()).isEqualTo("base-model-missing");
        // Other I/O failures keep their old kind.
        assertThat(FailureKind.of(new IOException("unreadable"))).isEqualTo(FailureKind.BAD_DATA);
    }

    @Test
    void aRetryQueuesTheSameJobAndKeepsTheFailureInItsHistory() {
        JobRecord failed = JobRecord.queued(new TrainingJob("job-1", "spam", "event-1", List.of(TRAIN), HELD_OUT),
                List.of("event-1"), 0).running(() -> "v-champion").failed("IOException: no model",
                FailureKind.BASE_MODEL_MISSING);
        assertThat(failed.failureKind()).isEqualTo("base-model-missing");

        JobRecord queued = failed.retried("test-admin");
        assertThat(queued.state()).isEqualTo(JobRecord.State.QUEUED);
        assertThat(queued.jobId()).isEqualTo("job-1");
        assertThat(queued.datasets()).containsExactly(TRAIN);
        assertThat(queued.base()).isEqualTo(failed.base()); // the pinned champion stays
        assertThat(queued.failure()).isNull();
        assertThat(queued.failureKind()).isNull();
        assertThat(queued.history()).singleElement().satisfies(retry -> {
            assertThat(retry.attempts()).isEqualTo(1);
            assertThat(retry.failure()).isEqualTo("IOException: no model");
            assertThat(retry.failureKind()).isEqualTo("base-model-missing");
            assertThat(retry.retriedBy()).isEqualTo("test-admin");
        });
        // The passing-fault retries count again from the manual retry.
        JobRecord again = queued.running(() -> "v-other");
        assertThat(again.attempts()).isEqualTo(2);
        assertThat(again.attemptsSinceRetry()).isEqualTo(1);
        assertThat(again.base()).isEqualTo(failed.base());
        assertThat(again.history()).hasSize(1);
    }

    @Test
    void onlyAFailedJobCanBeRetried() {
        JobRecord queued = JobRecord.queued(new TrainingJob("job-2", "spam", "event-2", List.of(TRAIN), HELD_OUT),
                List.of("event-2"), 0);
        assertThatThrownBy(() -> queued.retried("test-admin")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("QUEUED");
        JobRecord succeeded = queued.running(() -> null).succeeded("v-1");
        assertThatThrownBy(() -> succeeded.retried("test-admin")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("SUCCEEDED");
    }
}
