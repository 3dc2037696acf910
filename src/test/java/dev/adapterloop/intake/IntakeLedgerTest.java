package dev.adapterloop.intake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.adapterloop.embedded.EmbeddedS3;
import dev.adapterloop.events.DatasetRef;
import dev.adapterloop.registry.ObjectStore;
import dev.adapterloop.registry.PipelineRecords;
import dev.adapterloop.training.JobRecord;
import dev.adapterloop.training.JobStore;
import dev.adapterloop.config.TaskCatalogue;
import dev.adapterloop.config.TasksConfig;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The intake ledger on a real S3 server: an event id or a dataset seen before is taken in once; data accumulates
 * until enough records or enough waiting; every decision survives a new ledger (a restarted process).
 */
class IntakeLedgerTest {

    private static final DatasetRef HELD_OUT = new DatasetRef("datasets/spam/heldout.jsonl", 10L, "f".repeat(64));
    private static EmbeddedS3 s3;
    private static ObjectStore store;
    private static TasksConfig tasks;
    private PipelineRecords records;
    private JobStore jobs;
    private MutableClock clock;

    @BeforeAll
    static void start(@TempDir Path dir) {
        s3 = EmbeddedS3.start(EmbeddedS3.Settings.of(dir, "ledger", "ledger-secret-0123456789"));
        store = ObjectStore.create(s3.endpoint(), "ledger", "ledger-secret-0123456789", "ledger-test");
        store.ensureBucket();
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(TasksConfig.class)
                .withDefaultValues(Map.of("adapterloop.tasks.spam.labels", "ham,spam",
                        "adapterloop.tasks.spam.intake.min-new-examples", "100",
                        "adapterloop.tasks.spam.intake.max-wait", "PT10M",
                        "adapterloop.tasks.eager.labels", "ham,spam"))
                .build();
        tasks = config.getConfigMapping(TasksConfig.class);
    }

    @AfterAll
    static void stop() {
        store.close();
        s3.close();
    }

    @BeforeEach
    void emptyBucket() {
        store.list("").forEach(store::delete);
        records = new PipelineRecords(store);
        jobs = new JobStore(records);
        clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));
    }

    @Test
    void theSameEventTwiceIsTakenInOnceAndAnEagerTaskTriggersAtOnce() {
        IntakeLedger ledger = ledger();
        IntakeLedger.Result first = ledger.accept(event("eager", "e-1", dataset("a", 5)), 0);
        IntakeLedger.Result again = ledger.accept(event("eager", "e-1", dataset("a", 5)), 0);

        assertThat(first.outcome()).isEqualTo(IntakeLedger.Outcome.TRIGGERED);
        assertThat(again.outcome()).isEqualTo(IntakeLedger.Outcome.DUPLICATE_EVENT);
        assertThat(jobs.list(Optional.of("eager"))).hasSize(1).first()
                .satisfies(job -> {
                    assertThat(job.state()).isEqualTo(JobRecord.State.QUEUED);
                    assertThat(job.sourceEventIds()).containsExactly("e-1");
                    assertThat(job.partition()).isZero();
                });
    }

    @Test
    void aDatasetAlreadyTakenInUnderAnotherEventIdIsNotTrainedOnAgain() {
        IntakeLedger ledger = ledger();
        ledger.accept(event("eager", "e-1", dataset("a", 5)), 0);
        IntakeLedger.Result sameData = ledger.accept(event("eager", "e-2", dataset("a", 5)), 0);
        IntakeLedger.Result mixed = ledger.accept(event("eager", "e-3", dataset("a", 5), dataset("b", 7)), 0);

        assertThat(sameData.outcome()).isEqualTo(IntakeLedger.Outcome.DUPLICATE_DATA);
        assertThat(mixed.outcome()).isEqualTo(IntakeLedger.Outcome.TRIGGERED);
        assertThat(mixed.job().orElseThrow().datasets()).extracting(DatasetRef::key)
                .containsExactly("datasets/eager/b.jsonl");
        assertThat(jobs.list(Optional.of("eager"))).hasSize(2);
    }

    @Test
    void dataAccumulatesAcrossRestartsUntilEnoughRecords() {
        assertThat(ledger().accept(event("spam", "e-1", dataset("a", 40)), 3).outcome())
                .isEqualTo(IntakeLedger.Outcome.ACCUMULATED);
        // A new ledger is a restarted process: the 40 records are still pending.
        IntakeLedger.Result second = ledger().accept(event("spam", "e-2", dataset("b", 40)), 3);
        assertThat(second.outcome()).isEqualTo(IntakeLedger.Outcome.ACCUMULATED);
        assertThat(second.pendingRecords()).isEqualTo(80);
        assertThat(jobs.list(Optional.empty())).isEmpty();

        IntakeLedger.Result third = ledger().accept(event("spam", "e-3", dataset("c", 20)), 3);
        assertThat(third.outcome()).isEqualTo(IntakeLedger.Outcome.TRIGGERED);
        JobRecord job = third.job().orElseThrow();
        assertThat(job.datasets()).extracting(DatasetRef::key).containsExactly("datasets/spam/a.jsonl",
                "datasets/spam/b.jsonl", "datasets/spam/c.jsonl");
        assertThat(job.sourceEventIds()).containsExactly("e-1", "e-2", "e-3");
        // Emptied, not deleted: a delete could not be conditional, and would drop an event another writer just added.
        assertThat(records.read(PipelineRecords.pendingKey("spam"), PendingData.class).orElseThrow().batches())
                .as("pending cleared").isEmpty();
    }

    @Test
    void pendingDataBecomesAJobAfterMaxWaitOnlyOnAPartitionThisReplicaOwns() {
        IntakeLedger ledger = ledger();
        ledger.accept(event("spam", "e-1", dataset("a", 3)), 2);
        clock.advance(Duration.ofMinutes(9));
        assertThat(ledger.flushDue(partition -> true)).isEmpty();
        clock.advance(Duration.ofMinutes(1));
        assertThat(ledger.flushDue(partition -> partition != 2)).as("partition 2 is another replica's").isEmpty();

        List<JobRecord> due = ledger.flushDue(partition -> partition == 2);
        assertThat(due).hasSize(1);
        assertThat(due.get(0).datasets()).extracting(DatasetRef::records).containsExactly(3L);
        assertThat(ledger.flushDue(partition -> true)).as("flushed once").isEmpty();
    }

    @Test
    void aCrashAfterThePendingWriteLeavesTheRedeliveredEventRecognised() {
        IntakeLedger ledger = ledger();
        ledger.accept(event("spam", "e-1", dataset("a", 3)), 1);
        // Simulate a crash between the pending write and the markers: the markers never made it.
        store.delete(PipelineRecords.eventMarkerKey("spam", "e-1"));
        store.delete(PipelineRecords.datasetMarkerKey("spam", sha("a")));

        IntakeLedger.Result redelivered = ledger().accept(event("spam", "e-1", dataset("a", 3)), 1);
        assertThat(redelivered.outcome()).isEqualTo(IntakeLedger.Outcome.DUPLICATE_EVENT);
        assertThat(redelivered.pendingRecords()).isEqualTo(3);
    }

    @Test
    void aCrashBetweenTheJobRecordAndClearingPendingMakesTheSameJobAgainNotASecondOne() {
        ledger().accept(event("spam", "e-1", dataset("a", 60)), 1);
        ledger().accept(event("spam", "e-2", dataset("b", 60)), 1);
        JobRecord job = jobs.list(Optional.of("spam")).get(0);
        // Put the pending data back as it was before it was cleared, as if the process died right there.
        records.write(PipelineRecords.pendingKey("spam"), new PendingData(1, "spam", 1, clock.instant().toString(),
                HELD_OUT, List.of(new PendingData.Batch("e-1", clock.instant().toString(), List.of(dataset("a", 60))),
                new PendingData.Batch("e-2", clock.instant().toString(), List.of(dataset("b", 60))))));
        clock.advance(Duration.ofHours(1));

        List<JobRecord> due = ledger().flushDue(partition -> true);
        assertThat(due).extracting(JobRecord::jobId).containsExactly(job.jobId());
        assertThat(jobs.list(Optional.of("spam"))).hasSize(1);
    }

    private IntakeLedger ledger() {
        return new IntakeLedger(records, jobs, TaskCatalogue.of(tasks), clock);
    }

    private static ValidatedEvent event(String task, String id, DatasetRef... datasets) {
        List<DatasetRef> refs = List.of(datasets).stream()
                .map(d -> new DatasetRef(d.key().replace("/spam/", "/" + task + "/"), d.records(), d.sha256()))
                .toList();
        return new ValidatedEvent(task, id, refs, HELD_OUT);
    }

    private static DatasetRef dataset(String name, long records) {
        return new DatasetRef("datasets/spam/" + name + ".jsonl", records, sha(name));
    }

    private static String sha(String name) {
        return PipelineRecords.sha256(name);
    }

    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
