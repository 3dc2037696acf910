package dev.adapterloop.api;

import static dev.adapterloop.testing.TestApiKeys.asAdmin;
import static dev.adapterloop.testing.TestApiKeys.asReader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterloop.bundled.BundledAssets;
import dev.adapterloop.dataset.LabeledExample;
import dev.adapterloop.events.DatasetRef;
import dev.adapterloop.events.LabeledDataEvent;
import dev.adapterloop.model.onnx.OnnxBertImporter;
import dev.adapterloop.registry.AdapterRegistry;
import dev.adapterloop.registry.PipelineRecords;
import dev.adapterloop.testing.EmbeddedInfraResource;
import dev.adapterloop.testing.KafkaTestClient;
import dev.adapterloop.testing.PipelineTestData;
import dev.adapterloop.training.JobRecord;
import dev.adapterloop.training.JobStore;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Retry of failed jobs over a real Kafka broker and S3 server: a job of the task {@code retried}, whose base model is
 * not in the bucket, fails as {@code base-model-missing}; once the model is imported an admin's retry runs it again
 * and it stores exactly one version. Refusals: a succeeded job (409), a dataset overwritten or deleted since intake
 * (422 naming its key), an unknown job (404), a caller without {@code admin} (403), and the loser of two concurrent
 * retries (409). The refusal cases use FAILED records on a partition no replica owns, so nothing trains for them.
 */
@QuarkusTest
@Tag("quarkus")
@QuarkusTestResource(value = EmbeddedInfraResource.class, restrictToAnnotatedClass = true)
class JobRetryApiTest {

    private static final String TASK = "retried";
    private static final String MODEL = "late-minilm";
    private static final String PROBLEMS = "https://adapterloop.dev/problems/";
    /** No replica owns it: a record queued there stays QUEUED. */
    private static final int NOBODYS_PARTITION = 999;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    AdapterRegistry registry;

    @Inject
    JobStore jobs;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    @Timeout(600)
    void aJobThatFailedForItsMissingBaseModelRunsOnceMoreAfterTheImportAndThenRefusesAnotherRetry() throws Exception {
        BundledAssets.Datasets data = BundledAssets.ensureDatasets(registry, TASK, "datasets/retried/train.jsonl",
                "datasets/retried/heldout.jsonl", 32, 40);
        assertThat(registry.hasModel(MODEL)).isFalse();
        try (KafkaTestClient kafka = new KafkaTestClient(bootstrapServers)) {
            kafka.sendCloudEvent("labeled-data", TASK, LabeledDataEvent.TYPE,
                    JSON.writeValueAsString(new LabeledDataEvent(TASK, List.of(data.train()), data.heldOut())));
        }
        JobRecord failed = Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                .until(() -> jobs.list(java.util.Optional.of(TASK)).stream()
                        .filter(job -> job.partition() == null || job.partition() != NOBODYS_PARTITION)
                        .findFirst().orElse(null), job -> job != null && job.state().isFinished());
        assertThat(failed.state()).isEqualTo(JobRecord.State.FAILED);
        assertThat(failed.failureKind()).isEqualTo("base-model-missing");
        assertThat(failed.failure()).contains("late-minilm", "adapterloop import-model",
                "adapterloop retry --task retried --job " + failed.jobId());
        String retryPath = "/api/tasks/" + TASK + "/jobs/" + failed.jobId() + "/retry";

        asReader().post(retryPath).then().statusCode(403).body("type", equalTo(PROBLEMS + "forbidden"));
        asAdmin().post("/api/tasks/" + TASK + "/jobs/job-no-such-job/retry").then().statusCode(404)
                .body("type", equalTo(PROBLEMS + "unknown-job")).body("jobId", equalTo("job-no-such-job"));
        assertThat(jobs.find(TASK, failed.jobId()).orElseThrow().state()).as("refusals change nothing")
                .isEqualTo(JobRecord.State.FAILED);

        importModel();
        asAdmin().post(retryPath).then().statusCode(202).body("state", equalTo("QUEUED"))
                .body("history.size()", equalTo(1))
                .body("history[0].failureKind", equalTo("base-model-missing"))
                .body("history[0].retriedBy", equalTo("test-admin"));

        JobRecord done = Awaitility.await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1))
                .until(() -> jobs.find(TASK, failed.jobId()).orElseThrow(), job -> job.state().isFinished());
        assertThat(done.state()).as("%s", done).isEqualTo(JobRecord.State.SUCCEEDED);
        assertThat(registry.listVersions(TASK)).containsExactly(done.version());
        assertThat(done.attempts()).isEqualTo(failed.attempts() + 1);
        assertThat(done.history()).extracting(JobRecord.Retry::failure).containsExactly(failed.failure());
        // The retry request is consumed once: a later tick neither runs the job again nor keeps the request.
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> registry.store().list("retries/" + TASK + "/").isEmpty());
        asReader().get("/api/tasks/" + TASK + "/jobs/" + failed.jobId()).then().statusCode(200)
                .body("state", equalTo("SUCCEEDED")).body("history[0].failureKind", equalTo("base-model-missing"));

        asAdmin().post(retryPath).then().statusCode(409).body("type", equalTo(PROBLEMS + "job-not-retryable"))
                .body("detail", containsString("SUCCEEDED")).body("jobId", equalTo(failed.jobId()));
        assertThat(registry.listVersions(TASK)).containsExactly(done.version());
        assertThat(jobs.find(TASK, failed.jobId()).orElseThrow().attempts()).isEqualTo(done.attempts());
    }

    @Test
    void aRetryIsRefusedNamingTheDatasetThatWasOverwrittenOrDeletedSinceIntake() throws Exception {
        JobRecord overwritten = failedJob("job-retry-overwritten", "datasets/retried/overwritten.jsonl");
        PipelineTestData.put(registry, TASK, "datasets/retried/overwritten.jsonl",
                List.of(new LabeledExample("other bytes under the same key", "ham")));
        asAdmin().post("/api/tasks/" + TASK + "/jobs/" + overwritten.jobId() + "/retry").then().statusCode(422)
                .body("type", equalTo(PROBLEMS + "dataset-changed"))
                .body("key", equalTo("datasets/retried/overwritten.jsonl"))
                .body("detail", containsString("changed since intake"));

        JobRecord vanished = failedJob("job-retry-vanished", "datasets/retried/vanished.jsonl");
        registry.store().delete("datasets/retried/vanished.jsonl");
        asAdmin().post("/api/tasks/" + TASK + "/jobs/" + vanished.jobId() + "/retry").then().statusCode(422)
                .body("type", equalTo(PROBLEMS + "dataset-changed"))
                .body("key", equalTo("datasets/retried/vanished.jsonl"))
                .body("detail", containsString("no longer in the bucket"));

        assertThat(jobs.find(TASK, overwritten.jobId()).orElseThrow().state()).isEqualTo(JobRecord.State.FAILED);
        assertThat(jobs.find(TASK, vanished.jobId()).orElseThrow().state()).isEqualTo(JobRecord.State.FAILED);
    }

    @Test
    void ofConcurrentRetriesExactlyOneQueuesTheJob() throws Exception {
        JobRecord job = failedJob("job-retry-concurrent", "datasets/retried/concurrent.jsonl");
        int callers = 6;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<Response>> answers = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                answers.add(pool.submit((Callable<Response>) () -> {
                    start.await();
                    return asAdmin().post("/api/tasks/" + TASK + "/jobs/" + job.jobId() + "/retry");
                }));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Response> answer : answers) {
                statuses.add(answer.get().statusCode());
            }
            assertThat(statuses).filteredOn(s -> s == 202).hasSize(1);
            assertThat(statuses).filteredOn(s -> s == 409).hasSize(callers - 1);
        } finally {
            pool.shutdownNow();
        }
        JobRecord queued = jobs.find(TASK, job.jobId()).orElseThrow();
        assertThat(queued.state()).isEqualTo(JobRecord.State.QUEUED);
        assertThat(queued.history()).hasSize(1);
    }

    /** A FAILED record of one dataset (written now) on a partition nobody owns, as a failed job leaves it. */
    private JobRecord failedJob(String jobId, String key) throws Exception {
        DatasetRef train = PipelineTestData.put(registry, TASK, key,
                List.of(new LabeledExample("win money now", "spam"), new LabeledExample("lunch at noon?", "ham")));
        DatasetRef heldOut = PipelineTestData.put(registry, TASK, "datasets/retried/refusals-heldout.jsonl",
                List.of(new LabeledExample("free prize", "spam"), new LabeledExample("see you", "ham")));
        String then = Instant.now().toString();
        JobRecord record = new JobRecord(JobRecord.SCHEMA_VERSION, jobId, TASK, JobRecord.State.FAILED,
                List.of(train), heldOut, List.of("event-" + jobId), NOBODYS_PARTITION, 1, then, then, null,
                "IOException: the bucket was away", null, "storage-unavailable", List.of());
        jobs.save(record);
        return record;
    }

    /** What {@code adapterloop import-model} leaves in the bucket: the bundled model, under the task's model id. */
    private void importModel() throws Exception {
        Path folder = Files.createTempDirectory("late-model");
        new OnnxBertImporter().writeBundledMiniLm(folder);
        registry.putModel(MODEL, folder);
        assertThat(registry.hasModel(MODEL)).isTrue();
    }
}
