package dev.adapterloop.intake;

import static org.assertj.core.api.Assertions.assertThat;

import dev.adapterloop.config.TaskCatalogue;
import dev.adapterloop.config.TasksConfig;
import dev.adapterloop.embedded.EmbeddedS3;
import dev.adapterloop.events.DatasetRef;
import dev.adapterloop.registry.ObjectStore;
import dev.adapterloop.registry.PipelineRecords;
import dev.adapterloop.registry.RetrySettings;
import dev.adapterloop.testing.FaultyTcpProxy;
import dev.adapterloop.training.JobRecord;
import dev.adapterloop.training.JobStore;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several writers on one task's intake over the real S3 server (s3proxy), as two replicas during a rebalance: every
 * event delivered to both ledgers at once ends in exactly one job; and a conditional write whose answer a real TCP
 * proxy swallows is read back, not re-sent, so the event is neither counted twice nor reported as a duplicate.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class IntakeLedgerRaceTest {

    private static final String ACCESS = "race";
    private static final String SECRET = "race-secret-0123456789";
    private static final String BUCKET = "race-test";
    private static final DatasetRef HELD_OUT = new DatasetRef("datasets/spam/heldout.jsonl", 10L, "f".repeat(64));
    private static EmbeddedS3 s3;
    private static FaultyTcpProxy proxy;
    private static TaskCatalogue tasks;

    @BeforeAll
    static void start(@TempDir Path dir) {
        s3 = EmbeddedS3.start(EmbeddedS3.Settings.of(dir, ACCESS, SECRET));
        URI endpoint = URI.create(s3.endpoint());
        proxy = FaultyTcpProxy.start(endpoint.getHost(), endpoint.getPort(), 0);
        // A job every 3 records of 1: triggers land in the middle of the race, again and again.
        tasks = TaskCatalogue.of(new SmallRyeConfigBuilder().withMapping(TasksConfig.class)
                .withDefaultValues(Map.of("adapterloop.tasks.spam.labels", "ham,spam",
                        "adapterloop.tasks.spam.intake.min-new-examples", "3",
                        "adapterloop.tasks.spam.intake.max-wait", "PT1S"))
                .build().getConfigMapping(TasksConfig.class));
    }

    @AfterAll
    static void stop() {
        proxy.close();
        s3.close();
    }

    @BeforeEach
    void emptyBucket() {
        try (ObjectStore store = direct()) {
            store.ensureBucket();
            store.list("").forEach(store::delete);
        }
    }

    @Test
    void twoLedgersRacingOnEveryEventOfOneTaskTrainEachEventExactlyOnce() throws Exception {
        int events = 40;
        try (ObjectStore first = direct(); ObjectStore second = direct()) {
            // Separate clients, separate ledgers: nothing shared but the S3 server, as with two replicas.
            IntakeLedger a = ledger(first);
            IntakeLedger b = ledger(second);
            ExecutorService threads = Executors.newFixedThreadPool(2);
            List<IntakeLedger.Outcome> outcomes = new ArrayList<>();
            try {
                for (int i = 0; i < events; i++) {
                    ValidatedEvent event = event("e-" + i, "d-" + i);
                    CyclicBarrier together = new CyclicBarrier(2);
                    Future<IntakeLedger.Result> x = threads.submit(() -> {
                        together.await();
                        return a.accept(event, 0);
                    });
                    Future<IntakeLedger.Result> y = threads.submit(() -> {
                        together.await();
                        return b.accept(event, 0);
                    });
                    outcomes.add(x.get(30, TimeUnit.SECONDS).outcome());
                    outcomes.add(y.get(30, TimeUnit.SECONDS).outcome());
                }
            } finally {
                threads.shutdownNow();
            }
            // Each event taken in by exactly one of the two; the other sees it (or its dataset) as a duplicate.
            for (int i = 0; i < events; i++) {
                assertThat(outcomes.subList(2 * i, 2 * i + 2).stream().filter(IntakeLedgerRaceTest::takenIn).count())
                        .as("event e-%d: %s", i, outcomes.subList(2 * i, 2 * i + 2)).isEqualTo(1);
            }

            Thread.sleep(1_100); // past max-wait: what is still pending becomes the last job
            a.flushDue(partition -> true);
            Map<String, Long> trainedTimes = new JobStore(new PipelineRecords(first)).list(Optional.of("spam"))
                    .stream().flatMap(job -> job.datasets().stream())
                    .collect(Collectors.groupingBy(DatasetRef::key, Collectors.counting()));
            Map<String, Long> once = new HashMap<>();
            for (int i = 0; i < events; i++) {
                once.put("datasets/spam/d-" + i + ".jsonl", 1L);
            }
            assertThat(trainedTimes).isEqualTo(once);
        }
    }

    @Test
    void aConditionalWriteWhoseAnswerIsLostIsReadBackNotCountedTwice() {
        try (ObjectStore throughProxy = throughProxy()) {
            IntakeLedger ledger = ledger(throughProxy);
            // The first write of pending.json (If-None-Match) is applied, its answer dropped.
            proxy.dropAnswers("if-none-match", 1);
            IntakeLedger.Result first = ledger.accept(event("e-1", "d-1"), 0);
            assertThat(proxy.answersDropped()).isEqualTo(1);
            assertThat(first.outcome()).as("the decision survives its lost answer")
                    .isEqualTo(IntakeLedger.Outcome.ACCUMULATED);
            assertThat(first.pendingRecords()).isEqualTo(1);

            // Then the compare-and-set that adds the second event (If-Match).
            proxy.dropAnswers("if-match", 1);
            IntakeLedger.Result second = ledger.accept(event("e-2", "d-2"), 0);
            assertThat(proxy.answersDropped()).isEqualTo(2);
            assertThat(second.outcome()).isEqualTo(IntakeLedger.Outcome.ACCUMULATED);
            assertThat(second.pendingRecords()).as("e-2 counted once").isEqualTo(2);

            // The third event triggers a job: the handoff (If-Match) and the job's creation (If-None-Match) lose
            // their answers too.
            proxy.dropAnswers("if-", 2);
            IntakeLedger.Result third = ledger.accept(event("e-3", "d-3"), 0);
            assertThat(proxy.answersDropped()).isEqualTo(4);
            assertThat(third.outcome()).isEqualTo(IntakeLedger.Outcome.TRIGGERED);
            JobRecord job = third.job().orElseThrow();
            assertThat(job.sourceEventIds()).containsExactly("e-1", "e-2", "e-3");

            assertThat(ledger.accept(event("e-2", "d-2"), 0).outcome()).isEqualTo(IntakeLedger.Outcome.DUPLICATE_EVENT);
            assertThat(new JobStore(new PipelineRecords(throughProxy)).list(Optional.of("spam")))
                    .extracting(JobRecord::jobId).containsExactly(job.jobId());
        }
    }

    private static boolean takenIn(IntakeLedger.Outcome outcome) {
        return outcome == IntakeLedger.Outcome.ACCUMULATED || outcome == IntakeLedger.Outcome.TRIGGERED;
    }

    private static IntakeLedger ledger(ObjectStore store) {
        PipelineRecords records = new PipelineRecords(store);
        return new IntakeLedger(records, new JobStore(records), tasks, Clock.systemUTC());
    }

    private static ObjectStore direct() {
        return new ObjectStore(ObjectStore.Settings.of(s3.endpoint(), ACCESS, SECRET, BUCKET));
    }

    private static ObjectStore throughProxy() {
        return new ObjectStore(ObjectStore.Settings.of("http://127.0.0.1:" + proxy.port(), ACCESS, SECRET, BUCKET)
                .withRetry(new RetrySettings(5, Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofSeconds(5))));
    }

    private static ValidatedEvent event(String id, String dataset) {
        return new ValidatedEvent("spam", id, List.of(new DatasetRef("datasets/spam/" + dataset + ".jsonl", 1L,
                PipelineRecords.sha256(dataset))), HELD_OUT);
    }
}
