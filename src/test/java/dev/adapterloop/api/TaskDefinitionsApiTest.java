package dev.adapterloop.api;

import static dev.adapterloop.testing.TestApiKeys.asAdmin;
import static dev.adapterloop.testing.TestApiKeys.asPredictor;
import static dev.adapterloop.testing.TestApiKeys.asReader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterloop.bundled.BundledAssets;
import dev.adapterloop.config.TaskCatalogue;
import dev.adapterloop.events.LabeledDataEvent;
import dev.adapterloop.registry.AdapterRegistry;
import dev.adapterloop.registry.AliasStore;
import dev.adapterloop.tasks.TaskDocument;
import dev.adapterloop.testing.EmbeddedInfraResource;
import dev.adapterloop.testing.KafkaTestClient;
import dev.adapterloop.training.JobRecord;
import dev.adapterloop.training.JobStore;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * Tasks as data over a real Kafka broker and S3 server: a task defined over the API (nowhere in configuration) takes
 * a labeled-data event in, trains, becomes champion and answers predictions, with no restart; its labels then cannot
 * change while that champion stands. A definition written straight into the bucket (as another replica would) is in
 * the catalogue within its refresh interval. Every refusal has its problem type: unknown setting, bad value, bad
 * JSON, forged name, oversized body, stale or missing If-Match, a caller without admin.
 */
@QuarkusTest
@Tag("quarkus")
@QuarkusTestResource(value = EmbeddedInfraResource.class, restrictToAnnotatedClass = true)
class TaskDefinitionsApiTest {

    private static final String PROBLEMS = "https://adapterloop.dev/problems/";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    AdapterRegistry registry;

    @Inject
    AliasStore aliases;

    @Inject
    JobStore jobs;

    @Inject
    TaskCatalogue catalogue;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    /** Small and fast, as the test profile's configured tasks are; the first version passes the gate. */
    private static Map<String, Object> settings(String task, List<String> labels, int maxSteps) {
        return Map.of(
                "labels", labels,
                "held-out-key", "datasets/" + task + "/heldout.jsonl",
                "training", Map.of("max-steps", maxSteps, "max-sequence-length", 32, "warm-start", false,
                        "replay-ratio", 0, "checkpoint-every-steps", 0),
                "promotion.gate", Map.of("beat-majority-baseline", false, "min-examples", 10));
    }

    @Test
    @Timeout(600)
    void aTaskCreatedOverTheApiTrainsFromAnEventAndServesWithoutARestartAndKeepsItsLabelsWhileItHasAChampion()
            throws Exception {
        String task = "created";
        asReader().get("/api/tasks/" + task).then().statusCode(404).body("type", equalTo(PROBLEMS + "unknown-task"));
        assertThat(catalogue.tasks()).doesNotContainKey(task);

        asAdmin().contentType(ContentType.JSON).body(JSON.writeValueAsString(settings(task, List.of("ham", "spam"), 4)))
                .put("/api/tasks/" + task).then().statusCode(201).header("ETag", "\"1\"")
                .body("version", equalTo(1)).body("source", equalTo("bucket"))
                .body("updatedBy", equalTo("test-admin")).body("settings.labels", equalTo(List.of("ham", "spam")));
        assertThat(catalogue.tasks().get(task).labels()).containsExactly("ham", "spam");
        assertThat(catalogue.tasks().get(task).training().maxSteps()).isEqualTo(4);
        asReader().get("/api/tasks").then().statusCode(200).body("tasks.name", hasItem(task));

        BundledAssets.ensureModel(registry, Path.of("target", "test-data", "work"));
        BundledAssets.Datasets data = BundledAssets.ensureDatasets(registry, task, "datasets/created/train.jsonl",
                "datasets/created/heldout.jsonl", 32, 40);
        try (KafkaTestClient kafka = new KafkaTestClient(bootstrapServers)) {
            kafka.sendCloudEvent("labeled-data", task, LabeledDataEvent.TYPE,
                    JSON.writeValueAsString(new LabeledDataEvent(task, List.of(data.train()), data.heldOut())));
        }
        JobRecord done = Awaitility.await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(500))
                .until(() -> jobs.list(Optional.of(task)).stream().findFirst().orElse(null),
                        job -> job != null && job.state().isFinished());
        assertThat(done.state()).as("%s", done).isEqualTo(JobRecord.State.SUCCEEDED);
        assertThat(registry.manifest(task, done.version()).orElseThrow().labels()).containsExactly("ham", "spam");
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                aliases.read(task).alias(AliasStore.CHAMPION).isPresent());
        assertThat(aliases.read(task).alias(AliasStore.CHAMPION).orElseThrow().version()).isEqualTo(done.version());

        Response answer = Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> asPredictor().contentType(ContentType.JSON)
                        .body("{\"text\":\"Claim your FREE prize now\",\"key\":\"user-1\"}")
                        .post("/api/tasks/" + task + "/predictions"), r -> r.statusCode() == 200);
        JsonNode prediction = JSON.readTree(answer.asString());
        assertThat(prediction.get("version").asText()).isEqualTo(done.version());
        assertThat(List.of("ham", "spam")).contains(prediction.get("label").asText());

        // The champion answers with its labels: a definition with others is refused, and nothing changes.
        asAdmin().contentType(ContentType.JSON).header("If-Match", "\"1\"")
                .body(JSON.writeValueAsString(settings(task, List.of("ham", "spam", "phishing"), 4)))
                .put("/api/tasks/" + task).then().statusCode(409).contentType("application/problem+json")
                .body("type", equalTo(PROBLEMS + "task-labels-in-use")).body("task", equalTo(task))
                .body("detail", containsString("trained for labels [ham, spam]"))
                .body("detail", containsString("clear the champion alias"));
        assertThat(catalogue.tasks().get(task).labels()).containsExactly("ham", "spam");
        // Any other change is fine, and raises the version.
        asAdmin().contentType(ContentType.JSON).header("If-Match", "\"1\"")
                .body(JSON.writeValueAsString(settings(task, List.of("ham", "spam"), 6)))
                .put("/api/tasks/" + task).then().statusCode(200).header("ETag", "\"2\"").body("version", equalTo(2));
        assertThat(catalogue.tasks().get(task).training().maxSteps()).isEqualTo(6);
        assertThat(registry.store().exists(TaskDocument.historyKey(task, 1))).isTrue();
        assertThat(registry.store().exists(TaskDocument.historyKey(task, 2))).isTrue();
        // Its versions were trained on the definition: it stays.
        asAdmin().header("If-Match", "\"2\"").delete("/api/tasks/" + task).then().statusCode(409)
                .body("type", equalTo(PROBLEMS + "task-has-versions")).body("detail", containsString(done.version()));
        assertThat(catalogue.tasks()).containsKey(task);
    }

    @Test
    void aDefinitionWrittenByAnotherReplicaIsInTheCatalogueWithinTheRefreshInterval() throws Exception {
        String task = "elsewhere";
        assertThat(catalogue.tasks()).doesNotContainKey(task);
        TaskDocument written = new TaskDocument(TaskDocument.SCHEMA_VERSION, task, 1, "2026-01-01T00:00:00Z",
                "another-replica", JSON.valueToTree(Map.of("labels", List.of("a", "b", "c"))));
        registry.store().put(TaskDocument.key(task), JSON.writeValueAsBytes(written), "application/json");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> catalogue.tasks().containsKey(task));
        assertThat(catalogue.tasks().get(task).labels()).containsExactly("a", "b", "c");
        asReader().get("/api/tasks/" + task).then().statusCode(200).header("ETag", "\"1\"")
                .body("updatedBy", equalTo("another-replica"));

        // A definition that fails the rules (written by hand) is ignored: the task keeps what it ran on.
        TaskDocument broken = new TaskDocument(TaskDocument.SCHEMA_VERSION, task, 2, "2026-01-01T00:00:01Z",
                "a-hand", JSON.valueToTree(Map.of("labels", List.of("a", "b", "c"), "adapter", Map.of("rank", -1))));
        registry.store().put(TaskDocument.key(task), JSON.writeValueAsBytes(broken), "application/json");
        // Nor is one that is not a definition at all: the API names its key, the catalogue carries on.
        registry.store().put(TaskDocument.key("garbled"), "{not json".getBytes(StandardCharsets.UTF_8),
                "application/json");
        Thread.sleep(2500); // two refresh intervals of the test profile
        assertThat(catalogue.tasks().get(task).adapter().rank()).isEqualTo(8);
        assertThat(catalogue.tasks()).doesNotContainKey("garbled").containsKey(task);
        asReader().get("/api/tasks/garbled").then().statusCode(500)
                .body("type", equalTo(PROBLEMS + "corrupt-object")).body("key", equalTo("tasks/garbled/task.json"));
    }

    @Test
    void aConfiguredTaskShowsItsConfigurationAsVersionZeroUntilTheBucketHoldsADefinition() {
        asReader().get("/api/tasks/spam").then().statusCode(200).header("ETag", nullValue())
                .body("version", equalTo(0)).body("source", equalTo("configuration"))
                .body("settings.labels", equalTo("ham,spam"))
                // the test profile's value, not the default profile's 0.8
                .body("settings.'promotion.gate.min-accuracy'", equalTo("0"));
    }

    @Test
    void settingsThatAreNoTaskAreRefusedEachNamedAndNothingIsWritten() {
        String task = "refused";
        String path = "/api/tasks/" + task;
        asAdmin().contentType(ContentType.JSON).body("{\"labels\":[\"a\",\"b\"],\"adapter\":{\"rnak\":4}}").put(path)
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo(PROBLEMS + "validation-failed"))
                .body("errors[0].field", equalTo("settings.adapter.rnak"))
                .body("errors[0].detail", containsString("not a task setting"));
        asAdmin().contentType(ContentType.JSON).body("{\"labels\":[\"a\",\"b\"],\"adapter.rank\":\"eight\","
                + "\"kind\":\"regression\"}").put(path).then().statusCode(400)
                .body("type", equalTo(PROBLEMS + "validation-failed"))
                .body("errors.field", org.hamcrest.Matchers.containsInAnyOrder("settings.adapter.rank",
                        "settings.kind"))
                .body("detail", containsString("eight")).body("detail", containsString("regression"));
        // The stages' own rules: a classification task needs two labels; the gate's alternative is one of two.
        asAdmin().contentType(ContentType.JSON).body("{\"labels\":[\"only\"],"
                + "\"promotion\":{\"gate\":{\"alternative\":\"less\"}}}").put(path).then().statusCode(400)
                .body("type", equalTo(PROBLEMS + "validation-failed"))
                .body("detail", containsString("at least 2 labels"))
                .body("errors.field", hasItem("settings.promotion.gate"));
        asAdmin().contentType(ContentType.JSON).body("{\"labels\":[\"a\",\"b\"],\"adapter\":{\"method\":\"lora\","
                + "\"options\":{\"no-such-option\":\"1\"}}}").put(path).then().statusCode(400)
                .body("type", equalTo(PROBLEMS + "validation-failed"))
                .body("detail", containsString("no-such-option"));
        asAdmin().contentType(ContentType.JSON).body("{\"labels\":null}").put(path).then().statusCode(400)
                .body("errors[0].field", equalTo("settings.labels")).body("errors[0].detail", containsString("null"));
        asAdmin().contentType(ContentType.JSON).body("[\"labels\"]").put(path).then().statusCode(400)
                .body("type", equalTo(PROBLEMS + "validation-failed"))
                .body("detail", containsString("JSON object"));
        asAdmin().contentType(ContentType.JSON).body("{\"labels\":[\"a\",\"b\"]").put(path).then().statusCode(400)
                .body("type", equalTo(PROBLEMS + "malformed-request"));
        asAdmin().contentType(ContentType.JSON).body("{\"labels\":[\"a\"],\"labels\":[\"a\",\"b\"]}").put(path)
                .then().statusCode(400).body("type", equalTo(PROBLEMS + "malformed-request"));
        assertThat(registry.store().exists(TaskDocument.key(task))).isFalse();
        assertThat(catalogue.tasks()).doesNotContainKey(task);
    }

    @Test
    void forgedNamesOversizedBodiesAndCallersWithoutAdminAreRefused() {
        String body = "{\"labels\":[\"a\",\"b\"]}";
        for (String forged : List.of("..%2F..%2Fmodels%2Fx", "bad%20name", "UPPER%24", "a%2Fb")) {
            asAdmin().urlEncodingEnabled(false).contentType(ContentType.JSON).body(body)
                    .put("/api/tasks/" + forged).then().statusCode(400)
                    .body("type", equalTo(PROBLEMS + "invalid-name"));
            asReader().urlEncodingEnabled(false).get("/api/tasks/" + forged).then().statusCode(400)
                    .body("type", equalTo(PROBLEMS + "invalid-name"));
        }
        assertThat(registry.store().list("models/x")).isEmpty();

        String padding = "x".repeat(70 * 1024);
        asAdmin().contentType(ContentType.JSON).body("{\"labels\":[\"a\",\"b\"],\"held-out-key\":\"" + padding + "\"}")
                .put("/api/tasks/oversized").then().statusCode(413)
                .body("type", equalTo(PROBLEMS + "request-too-large"))
                .body("detail", containsString("at most 65536 bytes"));

        asReader().contentType(ContentType.JSON).body(body).put("/api/tasks/by-reader").then().statusCode(403)
                .body("type", equalTo(PROBLEMS + "forbidden"));
        assertThat(registry.store().exists(TaskDocument.key("oversized"))).isFalse();
        assertThat(registry.store().exists(TaskDocument.key("by-reader"))).isFalse();
    }

    @Test
    void aChangeMustNameTheVersionItReplacesAndLosesWhenItIsStale() throws Exception {
        String task = "versioned";
        String path = "/api/tasks/" + task;
        asAdmin().contentType(ContentType.JSON).header("If-Match", "\"1\"").body("{\"labels\":[\"a\",\"b\"]}")
                .put(path).then().statusCode(412).body("type", equalTo(PROBLEMS + "task-definition-changed"))
                .body("detail", containsString("without If-Match to create it"));
        asAdmin().contentType(ContentType.JSON).body("{\"labels\":[\"a\",\"b\"]}").put(path).then().statusCode(201)
                .header("ETag", "\"1\"");
        asAdmin().contentType(ContentType.JSON).body("{\"labels\":[\"a\",\"b\",\"c\"]}").put(path).then()
                .statusCode(428).body("type", equalTo(PROBLEMS + "precondition-required"))
                .body("currentVersion", equalTo(1)).body("detail", containsString("If-Match: \"1\""));
        asAdmin().contentType(ContentType.JSON).header("If-Match", "\"1\"").body("{\"labels\":[\"a\",\"b\",\"c\"]}")
                .put(path).then().statusCode(200).header("ETag", "\"2\"");
        asAdmin().contentType(ContentType.JSON).header("If-Match", "\"1\"").body("{\"labels\":[\"x\",\"y\"]}")
                .put(path).then().statusCode(412).body("type", equalTo(PROBLEMS + "task-definition-changed"))
                .body("currentVersion", equalTo(2)).body("detail", containsString("at version 2, not 1"));
        asAdmin().contentType(ContentType.JSON).header("If-Match", "yesterday").body("{\"labels\":[\"x\",\"y\"]}")
                .put(path).then().statusCode(400).body("type", equalTo(PROBLEMS + "malformed-request"));
        asReader().get(path).then().statusCode(200).header("ETag", "\"2\"")
                .body("settings.labels", equalTo(List.of("a", "b", "c")));

        // Eight admins replace version 2 at once: one wins, the others lose with 412, and the version is 3.
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String body = "{\"labels\":[\"a\",\"b\",\"c\"],\"training\":{\"max-steps\":" + (10 + i) + "}}";
                answers.add(pool.submit(() -> {
                    start.await();
                    return asAdmin().contentType(ContentType.JSON).header("If-Match", "\"2\"").body(body).put(path)
                            .statusCode();
                }));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> answer : answers) {
                statuses.add(answer.get());
            }
            assertThat(statuses).containsOnly(200, 412);
            assertThat(statuses.stream().filter(status -> status == 200)).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
        asReader().get(path).then().statusCode(200).header("ETag", "\"3\"");
        assertThat(registry.store().list(AdapterRegistry.taskPrefix(task) + TaskDocument.HISTORY)).hasSize(3);

        // Removal: version named, no adapter versions. A later definition continues the numbers.
        asAdmin().delete(path).then().statusCode(428).body("type", equalTo(PROBLEMS + "precondition-required"));
        asAdmin().header("If-Match", "\"2\"").delete(path).then().statusCode(412);
        asAdmin().header("If-Match", "\"3\"").delete(path).then().statusCode(204);
        asReader().get(path).then().statusCode(404).body("type", equalTo(PROBLEMS + "unknown-task"));
        assertThat(catalogue.tasks()).doesNotContainKey(task);
        asAdmin().header("If-Match", "\"3\"").delete(path).then().statusCode(404)
                .body("type", equalTo(PROBLEMS + "unknown-task"));
        asAdmin().contentType(ContentType.JSON).body("{\"labels\":[\"a\",\"b\"]}").put(path).then()
                .statusCode(201).header("ETag", "\"4\"");
        // A configured task without a definition in the bucket has nothing to remove.
        asAdmin().header("If-Match", "\"1\"").delete("/api/tasks/spam").then().statusCode(404);
        assertThat(new String(registry.store().get(TaskDocument.key(task)), StandardCharsets.UTF_8))
                .contains("\"version\":4");
    }
}
