package dev.adapterloop.api;

import static dev.adapterloop.testing.TestApiKeys.asAdmin;
import static dev.adapterloop.testing.TestApiKeys.asPredictor;
import static dev.adapterloop.testing.TestApiKeys.asReader;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import dev.adapterloop.events.AdapterManifest;
import dev.adapterloop.events.DatasetRef;
import dev.adapterloop.intake.PendingData;
import dev.adapterloop.promotion.GateEvidence;
import dev.adapterloop.promotion.GateRecord;
import dev.adapterloop.promotion.GateVerdict;
import dev.adapterloop.promotion.Promotions;
import dev.adapterloop.registry.AdapterRegistry;
import dev.adapterloop.registry.ObjectStore;
import dev.adapterloop.registry.PipelineRecords;
import dev.adapterloop.events.LabeledDataEvent;
import dev.adapterloop.testing.EmbeddedInfraResource;
import dev.adapterloop.testing.KafkaTestClient;
import dev.adapterloop.training.JobProgress;
import dev.adapterloop.training.JobProgressLog;
import dev.adapterloop.training.JobRecord;
import dev.adapterloop.training.JobStore;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The endpoints the console added (docs/api.md): who the caller is, a running job's progress in the job listing, the
 * A/B test's readout, the gate's evidence on a version, a task's pending data. Each answers 401 without a credential,
 * 403 to a {@code predict} key, 404 for an unknown task or version, 400 for a name that cannot be one. Records are
 * written straight into the bucket; nothing trains.
 */
@QuarkusTest
@Tag("quarkus")
@QuarkusTestResource(value = EmbeddedInfraResource.class, restrictToAnnotatedClass = true)
@Timeout(120)
class ConsoleApiTest {
    private static final String PROBLEMS = "https://adapterloop.dev/problems/";
    /** No replica owns it: records there are never acted on. */
    private static final int NOBODYS_PARTITION = 999;

    @Inject
    ObjectStore store;

    @Inject
    JobStore jobs;

    @Inject
    PipelineRecords records;

    @Inject
    Promotions promotions;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void theCallerIsToldItsPrincipalAndRoles() {
        asReader().get("/api/me").then().statusCode(200).body("principal", equalTo("test-read"))
                .body("roles", equalTo(List.of("read")));
        asAdmin().get("/api/me").then().statusCode(200).body("principal", equalTo("test-admin"))
                .body("roles", equalTo(List.of("admin")));
        given().get("/api/me").then().statusCode(401);
        asPredictor().get("/api/me").then().statusCode(403).body("type", equalTo(PROBLEMS + "forbidden"));
    }

    @Test
    void aRunningJobIsListedWithTheProgressOfItsCurrentAttemptOnly() {
        String now = Instant.now().toString();
        DatasetRef data = new DatasetRef("datasets/spam/progress.jsonl", 10L, null);
        JobRecord running = new JobRecord(JobRecord.SCHEMA_VERSION, "job-console-running", "spam",
                JobRecord.State.RUNNING, List.of(data), data, List.of("event-p"), NOBODYS_PARTITION, 2, now, now,
                null, null, null, null, List.of());
        jobs.save(running);
        records.write(JobProgressLog.key("spam", running.jobId()), new JobProgress(running.jobId(), "spam", 2, 7, 24,
                1, 0.4321, 3e-4, 12.5, 30, 73, now));
        JobRecord stale = new JobRecord(JobRecord.SCHEMA_VERSION, "job-console-stale", "spam",
                JobRecord.State.RUNNING, List.of(data), data, List.of("event-s"), NOBODYS_PARTITION, 3, now, now,
                null, null, null, null, List.of());
        jobs.save(stale);
        records.write(JobProgressLog.key("spam", stale.jobId()), new JobProgress(stale.jobId(), "spam", 2, 20, 24,
                1, 0.1, 3e-4, 12.5, 30, 10, now)); // left by attempt 2; attempt 3 has not reported yet

        asReader().get("/api/tasks/spam/jobs").then().statusCode(200)
                .body("progress.'job-console-running'.step", equalTo(7))
                .body("progress.'job-console-running'.totalSteps", equalTo(24))
                .body("progress.'job-console-running'.etaSeconds", equalTo(73))
                .body("progress", not(hasKey("job-console-stale")));
        given().get("/api/tasks/spam/jobs").then().statusCode(401);
        asPredictor().get("/api/tasks/spam/jobs").then().statusCode(403);
    }

    @Test
    void theExperimentReadoutHasTheTraceTheEvidenceNowAndThePastDecisions() {
        asReader().get("/api/tasks/spam/experiment").then().statusCode(200).body("task", equalTo("spam"))
                .body("current", nullValue()).body("evidence", nullValue())
                .body("settings.significanceLevel", equalTo(0.05f)).body("decisions.size()", equalTo(0));

        promotions.experiments().start("spam", "v-console-champion", "v-console-challenger");
        for (int i = 0; i < 3; i++) {
            promotions.experiments().observe("spam", s -> s.withOutcome("challenger", "v-console-challenger", 1)
                    .withOutcome("champion", "v-console-champion", 0));
        }
        asReader().get("/api/tasks/spam/experiment").then().statusCode(200)
                .body("current.phase", equalTo("experiment"))
                .body("current.championArm.outcomes", equalTo(3))
                .body("current.trace.size()", equalTo(3))
                .body("current.trace[2].challengerSamples", equalTo(3))
                .body("evidence.outcome", equalTo("continue"))
                .body("evidence.reason", equalTo("collecting the minimum samples"))
                .body("evidence.guardrails.size()", equalTo(2))
                .body("evidence.guardrails[0].judged", equalTo(false));

        String decision = "{\"schemaVersion\":1,\"task\":\"spam\",\"decidedAt\":\"2026-01-02T00:00:00Z\","
                + "\"outcome\":\"reject\",\"applied\":\"applied\",\"evidence\":{\"schemaVersion\":1,"
                + "\"outcome\":\"reject\",\"phase\":\"experiment\",\"champion\":\"v-a\",\"challenger\":\"v-b\","
                + "\"effect\":-0.1,\"pValue\":0.01,\"alpha\":0.05,\"mixtureSd\":0.03,\"guardrails\":[],"
                + "\"reason\":\"the challenger is worse\"},\"trace\":[]}";
        store.put(dev.adapterloop.registry.PromotionRecords.decisionsPrefix("spam") + "1767312000000-reject.json",
                decision.getBytes(StandardCharsets.UTF_8), "application/json");
        asReader().get("/api/tasks/spam/experiment").then().statusCode(200)
                .body("decisions.size()", equalTo(1)).body("decisions[0].outcome", equalTo("reject"))
                .body("decisions[0].evidence.reason", equalTo("the challenger is worse"));

        given().get("/api/tasks/spam/experiment").then().statusCode(401);
        asPredictor().get("/api/tasks/spam/experiment").then().statusCode(403);
        asReader().get("/api/tasks/no-such-task/experiment").then().statusCode(404)
                .body("type", equalTo(PROBLEMS + "unknown-task"));
        asReader().urlEncodingEnabled(false).get("/api/tasks/..%2Fx/experiment").then().statusCode(400)
                .body("detail", containsString("task must be"));
    }

    @Test
    void theGatesEvidenceIsReadWithTheVersionAndAVersionWithoutItIsNotFound() {
        putVersion("console-gate", "v-judged");
        putVersion("console-gate", "v-older");
        GateEvidence evidence = new GateEvidence(GateEvidence.SCHEMA_VERSION, GateVerdict.PROMOTE_TO_CHALLENGER,
                "v-judged", "v-older", "e".repeat(64), 300, new GateEvidence.Metrics(0.95, 0.94, 0.6),
                new GateEvidence.Metrics(0.9, 0.89, 0.6), List.of(new GateEvidence.Check("accuracy", "value",
                "accuracy", 0.95, 0.8, true)), new GateEvidence.Significance("mcnemar-exact", "candidate-better", 300,
                19, 4, 0.0013, 0.05, true), List.of());
        promotions.records().writeGate("console-gate", "v-judged", new GateRecord(GateRecord.SCHEMA_VERSION,
                "classification", "applied", evidence));
        String path = "/api/tasks/console-gate/versions/";

        asReader().get(path + "v-judged/gate").then().statusCode(200).body("kind", equalTo("classification"))
                .body("evidence.verdict", equalTo("promote-to-challenger"))
                .body("evidence.significance.b", equalTo(19)).body("evidence.significance.c", equalTo(4))
                .body("evidence.significance.pValue", equalTo(0.0013f));
        asReader().get(path + "v-older/gate").then().statusCode(404)
                .body("type", equalTo(PROBLEMS + "unknown-version"))
                .body("detail", containsString("has no stored gate evidence"));
        asReader().get(path + "v-missing/gate").then().statusCode(404).body("detail", containsString("not found"));
        asReader().urlEncodingEnabled(false).get(path + "..%2Fv-judged/gate").then().statusCode(400)
                .body("detail", containsString("adapter version must be"));
        given().get(path + "v-judged/gate").then().statusCode(401);
        asPredictor().get(path + "v-judged/gate").then().statusCode(403);
    }

    @Test
    void pendingDataIsSummedAndNoneIsZero() {
        asReader().get("/api/tasks/spam/pending").then().statusCode(200).body("events", equalTo(0))
                .body("records", equalTo(0)).body("firstReceivedAt", nullValue());
        String now = Instant.now().toString();
        DatasetRef a = new DatasetRef("datasets/spam/pending-a.jsonl", 40L, "a".repeat(64));
        DatasetRef b = new DatasetRef("datasets/spam/pending-b.jsonl", 2L, "b".repeat(64));
        records.write(PipelineRecords.pendingKey("spam"), new PendingData(1, "spam", NOBODYS_PARTITION, now, null,
                List.of(new PendingData.Batch("event-a", now, List.of(a)),
                        new PendingData.Batch("event-b", now, List.of(b)))));
        try {
            asReader().get("/api/tasks/spam/pending").then().statusCode(200).body("events", equalTo(2))
                    .body("records", equalTo(42)).body("firstReceivedAt", equalTo(now))
                    .body("datasets.key", equalTo(List.of(a.key(), b.key())));
        } finally {
            records.delete(PipelineRecords.pendingKey("spam"));
        }
        given().get("/api/tasks/spam/pending").then().statusCode(401);
        asPredictor().get("/api/tasks/spam/pending").then().statusCode(403);
        asReader().get("/api/tasks/no-such-task/pending").then().statusCode(404);
    }

    /**
     * The tasks page's one request: a row per task with its aliases, the champion's manifest, its last job and pending
     * data; a task whose aliases no longer read as aliases gets its problem in its row, and the others still answer.
     */
    @Test
    void theOverviewHasARowPerTaskAndABrokenTaskDoesNotBreakThePage() {
        putVersion("console-overview", "v-first");
        asAdmin().contentType("application/json")
                .body("{\"expectedGeneration\":0,\"version\":\"v-first\",\"reason\":\"test\"}")
                .put("/api/tasks/console-overview/aliases/champion").then().statusCode(200);
        String now = Instant.now().toString();
        DatasetRef data = new DatasetRef("datasets/console-overview/a.jsonl", 10L, null);
        for (String id : List.of("job-overview-1", "job-overview-2")) {
            jobs.save(new JobRecord(JobRecord.SCHEMA_VERSION, id, "console-overview", JobRecord.State.FAILED,
                    List.of(data), data, List.of("event-" + id), NOBODYS_PARTITION, 1, now, now, "broken " + id, null,
                    null, null, List.of()));
        }
        putVersion("console-corrupt", "v-1");
        store.put("tasks/console-corrupt/aliases.json", "not json".getBytes(StandardCharsets.UTF_8),
                "application/json");

        String row = "tasks.find { it.task == '%s' }.";
        asReader().get("/api/overview").then().statusCode(200)
                .body(String.format(row, "console-overview") + "aliases.aliases.champion.version", equalTo("v-first"))
                .body(String.format(row, "console-overview") + "champion.version", equalTo("v-first"))
                .body(String.format(row, "console-overview") + "challenger", nullValue())
                .body(String.format(row, "console-overview") + "lastJob.jobId", equalTo("job-overview-2"))
                .body(String.format(row, "console-overview") + "pending.events", equalTo(0))
                .body(String.format(row, "console-overview") + "problem", nullValue())
                .body(String.format(row, "console-corrupt") + "problem", containsString("aliases.json"));
        given().get("/api/overview").then().statusCode(401);
        asPredictor().get("/api/overview").then().statusCode(403);
    }

    /**
     * A malformed labeled-data event for the task goes to labeled-data-dlq keyed by the task, and the overview's count
     * of the task's dead letters follows without a restart (read from the topic by this replica).
     */
    @Test
    void theOverviewCountsATasksDeadLetters() throws Exception {
        String row = "tasks.find { it.task == 'spam' }.deadLetters";
        asReader().get("/api/overview").then().statusCode(200); // starts the reader
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> asReader().get("/api/overview").then()
                .extract().path(row) != null);
        int before = asReader().get("/api/overview").then().extract().path(row + ".'labeled-data-dlq'");
        try (KafkaTestClient kafka = new KafkaTestClient(bootstrapServers)) {
            kafka.sendCloudEvent("labeled-data", "spam", LabeledDataEvent.TYPE, "{\"task\":\"spam\"}");
        }
        Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> asReader().get("/api/overview").then()
                .body(row + ".'labeled-data-dlq'", equalTo(before + 1))
                .body(row + ".'prediction-feedback-dlq'", equalTo(0)));
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("adapterloop_dead_letters{task=\"spam\",topic=\"labeled-data-dlq\"}"));
    }

    @Test
    void theAliasHistoryListsMovesNewestFirstAndMarksTheVersionsRolledBack() {
        String task = "console-history";
        putVersion(task, "v-first");
        putVersion(task, "v-second");
        String aliases = "/api/tasks/" + task + "/aliases/";
        moveChampion(aliases, "v-first", 0, "first champion");
        moveChampion(aliases, "v-second", 1, "promoted by hand");
        moveChampion(aliases, "v-first", 2, "roll back: complaints");

        asReader().get(aliases + "history").then().statusCode(200).body("generation", equalTo(3))
                .body("changes.size()", equalTo(3))
                .body("changes[0].generation", equalTo(3)).body("changes[0].from", equalTo("v-second"))
                .body("changes[0].to", equalTo("v-first")).body("changes[0].by", equalTo("test-admin"))
                .body("changes[2].from", nullValue())
                .body("rolledBack.size()", equalTo(1)).body("rolledBack[0].version", equalTo("v-second"))
                .body("rolledBack[0].restored", equalTo("v-first"))
                .body("rolledBack[0].reason", equalTo("roll back: complaints"));
        // Promoting the rolled-back version again rolls nothing back; the history keeps the earlier roll-back.
        moveChampion(aliases, "v-second", 3, "fixed, promoted again");
        asReader().get(aliases + "history?limit=2").then().statusCode(200).body("generation", equalTo(4))
                .body("changes.size()", equalTo(2)).body("changes[0].reason", equalTo("fixed, promoted again"))
                .body("rolledBack.size()", equalTo(1));

        asReader().get(aliases + "history?limit=0").then().statusCode(400)
                .body("detail", containsString("limit must be between 1 and 1000, got 0"));
        asReader().get("/api/tasks/no-such-task/aliases/history").then().statusCode(404);
        given().get(aliases + "history").then().statusCode(401);
        asPredictor().get(aliases + "history").then().statusCode(403);
    }

    private void moveChampion(String aliases, String version, long expectedGeneration, String reason) {
        asAdmin().contentType("application/json").body("{\"version\":\"" + version + "\",\"expectedGeneration\":"
                + expectedGeneration + ",\"reason\":\"" + reason + "\"}").put(aliases + "champion").then()
                .statusCode(200);
    }

    private void putVersion(String task, String version) {
        String prefix = AdapterRegistry.adapterPrefix(task, version);
        String manifest = "{\"schemaVersion\":1,\"task\":\"" + task + "\",\"version\":\"" + version + "\""
                + ",\"method\":\"lora\",\"createdAt\":\"2026-01-01T00:00:00Z\",\"durationMillis\":1}";
        store.put(prefix + AdapterManifest.FILE, manifest.getBytes(StandardCharsets.UTF_8), "application/json");
    }
}
