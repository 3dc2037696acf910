package dev.adapterloop.serving;

import static dev.adapterloop.testing.TestApiKeys.asPredictor;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterloop.events.PredictionId;
import dev.adapterloop.events.PredictionRecord;
import dev.adapterloop.model.PretrainedModel;
import dev.adapterloop.registry.AdapterRegistry;
import dev.adapterloop.registry.AliasStore;
import dev.adapterloop.testing.BundledModel;
import dev.adapterloop.testing.EmbeddedInfraResource;
import dev.adapterloop.testing.KafkaTestClient;
import dev.adapterloop.testing.TestApiKeys;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The prediction endpoint over a real S3 server, a real Kafka broker and the real engine: specific problems for bad
 * requests, champion answers with a sticky challenger split, prediction records on Kafka, a champion swap under
 * continuous load without one failed request (and the old model closed), and a corrupt version that leaves the old
 * one serving. No test relies on another having run first: each publishes the versions it needs (unless one before
 * it did) and sets the aliases it starts from.
 */
@QuarkusTest
@Tag("quarkus")
@QuarkusTestResource(value = EmbeddedInfraResource.class, restrictToAnnotatedClass = true)
class PredictionEndpointTest {

    private static final String TASK = "spam";
    /** Configured for serving (application.properties), and no test here gives it a champion. */
    private static final String NO_CHAMPION_TASK = "abtest";
    private static final String PATH = "/api/tasks/{task}/predictions";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** %test.adapterloop.serving.prediction-id-key in application.properties. */
    private static final String KEY = "serving-test-prediction-id-key";
    private static PretrainedModel fixtureEncoder;

    @Inject
    AdapterRegistry registry;

    @Inject
    AliasStore aliases;

    @Inject
    ServedModels served;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @TestHTTPResource("/api/tasks/spam/predictions")
    URL endpoint;

    @AfterAll
    static void closeEncoder() {
        if (fixtureEncoder != null) {
            fixtureEncoder.close();
        }
    }

    @Test
    @Timeout(60)
    void badRequestsGetSpecificProblems() {
        problem("fraud", "{\"text\":\"hi\"}", 404, "unknown-task", "'fraud'");
        problem("-bad", "{\"text\":\"hi\"}", 404, "unknown-task", "'-bad'");
        problem(TASK, "{not json", 400, "malformed-request", "not valid JSON");
        problem(TASK, "[1,2]", 400, "malformed-request", "JSON object");
        problem(TASK, "{\"text\":42}", 400, "malformed-request", "\"text\" must be a string");
        problem(TASK, "{\"text\":\"a\",\"texts\":[\"b\"]}", 400, "malformed-request", "exactly one");
        problem(TASK, "{\"text\":\"   \"}", 400, "empty-text", "text is empty");
        problem(TASK, "{\"texts\":[]}", 400, "empty-text", "\"texts\"");
        problem(TASK, "{\"text\":\"" + "x".repeat(2001) + "\"}", 413, "text-too-long",
                "text has more than 2000 characters, at most 2000 allowed");
        problem(TASK, "{\"texts\":" + "[\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\"]}", 413,
                "too-many-texts", "9 texts");
        given().accept(ContentType.JSON).get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.'/api/tasks/{task}/predictions'.post.summary", containsString("Classify"));
        // No alias yet (no test gives this task's one): 503 with the reason and a Retry-After.
        asPredictor().contentType(ContentType.JSON).body("{\"text\":\"hello\"}").post(PATH, NO_CHAMPION_TASK).then()
                .statusCode(503).header("Retry-After", "2")
                .contentType("application/problem+json")
                .body("type", equalTo("https://adapterloop.dev/problems/no-champion"))
                .body("task", equalTo(NO_CHAMPION_TASK))
                .body("instance", equalTo("/api/tasks/" + NO_CHAMPION_TASK + "/predictions"));
    }

    /** Predictions take the role predict (or admin); a key that may only read is refused, no key is asked for one. */
    @Test
    @Timeout(120)
    void predictionsTakeThePredictRole() throws Exception {
        ensurePublished("v-a", 1);
        moveAlias(PredictionId.CHAMPION, "v-a");
        String body = "{\"text\":\"Claim your FREE prize now\"}";

        asPredictor().contentType(ContentType.JSON).body(body).post(PATH, TASK).then().statusCode(200)
                .body("task", equalTo(TASK)); // champion or, for a share, a challenger another test left
        TestApiKeys.asAdmin().contentType(ContentType.JSON).body(body).post(PATH, TASK).then().statusCode(200);
        TestApiKeys.asReader().contentType(ContentType.JSON).body(body).post(PATH, TASK).then().statusCode(403)
                .contentType("application/problem+json")
                .body("type", equalTo("https://adapterloop.dev/problems/forbidden"));
        given().contentType(ContentType.JSON).body(body).post(PATH, TASK).then().statusCode(401)
                .contentType("application/problem+json").header("WWW-Authenticate", "Bearer realm=\"adapterloop\"");
    }

    @Test
    @Timeout(120)
    void championAnswersAndTheChallengerGetsAStickyShare() throws Exception {
        ensurePublished("v-a", 1);
        ensurePublished("v-b", 2);
        moveAlias(PredictionId.CHAMPION, "v-a");

        JsonNode one = predict("Claim your FREE prize now, click here", "user-1");
        assertThat(one.get("version").asText()).isEqualTo("v-a");
        assertThat(one.get("variant").asText()).isEqualTo("champion");
        assertThat(one.get("task").asText()).isEqualTo(TASK);
        assertThat(ServingFixtures.LABELS).contains(one.get("label").asText());
        double sum = one.get("scores").get("ham").asDouble() + one.get("scores").get("spam").asDouble();
        assertThat(sum).isBetween(0.999, 1.001);
        PredictionId id = PredictionId.parse(KEY, one.get("predictionId").asText());
        assertThat(id.version()).isEqualTo("v-a");
        assertThat(id.label()).isEqualTo(one.get("label").asText());

        JsonNode batch = JSON.readTree(asPredictor().contentType(ContentType.JSON)
                .body("{\"texts\":[\"Lunch at noon?\",\"WIN MONEY NOW\"],\"key\":\"user-1\"}").post(PATH, TASK)
                .then().statusCode(200).extract().asString());
        assertThat(batch.get("predictions")).hasSize(2);

        moveAlias(PredictionId.CHALLENGER, "v-b");
        Map<String, String> variantOfKey = new HashMap<>();
        for (int i = 0; i < 60; i++) {
            JsonNode answer = predict("Meeting moved to 3pm", "user-" + i);
            variantOfKey.put("user-" + i, answer.get("variant").asText());
            assertThat(answer.get("version").asText())
                    .isEqualTo(answer.get("variant").asText().equals("champion") ? "v-a" : "v-b");
        }
        assertThat(Set.copyOf(variantOfKey.values())).containsExactlyInAnyOrder("champion", "challenger");
        for (int i = 0; i < 20; i++) { // sticky: the same key, the same variant
            assertThat(predict("Another text entirely " + i, "user-" + i).get("variant").asText())
                    .isEqualTo(variantOfKey.get("user-" + i));
        }

        String wanted = one.get("predictionId").asText();
        // A refused request is recorded too, as an error.
        asPredictor().contentType(ContentType.JSON).body("{\"text\":\"   \"}").post(PATH, TASK).then().statusCode(400);
        try (KafkaTestClient kafka = new KafkaTestClient(bootstrapServers)) {
            List<ConsumerRecord<String, String>> records = kafka.readUntil(PredictionRecord.TOPIC,
                    Duration.ofSeconds(30), seen -> seen.stream().anyMatch(r -> r.value().contains(wanted))
                            && seen.stream().anyMatch(r -> r.value().contains("\"error\":true")));
            ConsumerRecord<String, String> record = records.stream().filter(r -> r.value().contains(wanted))
                    .findFirst().orElseThrow(() -> new AssertionError("no prediction record for " + wanted));
            assertThat(record.key()).isEqualTo(TASK);
            assertThat(KafkaTestClient.header(record, "ce_type")).isEqualTo(PredictionRecord.TYPE);
            JsonNode data = JSON.readTree(record.value());
            assertThat(data.get("version").asText()).isEqualTo("v-a");
            assertThat(data.get("variant").asText()).isEqualTo("champion");
            assertThat(data.get("label").asText()).isEqualTo(one.get("label").asText());
            assertThat(data.get("latencyMs").asDouble()).isPositive();
            assertThat(data.get("error").asBoolean()).isFalse();
            JsonNode failure = JSON.readTree(records.stream().filter(r -> r.value().contains("\"error\":true"))
                    .findFirst().orElseThrow().value());
            assertThat(failure.get("errorReason").asText()).isNotBlank();
        }
    }

    /**
     * A request may name the version to answer with (any version of the task, loaded on demand into the serving
     * cache); its predictions are of the variant "requested", which counts in no A/B arm. Names that cannot be a
     * version, versions the task lacks and non-string versions get their own problems.
     */
    @Test
    @Timeout(120)
    void aRequestCanNameTheVersionThatAnswers() throws Exception {
        ensurePublished("v-a", 1);
        ensurePublished("v-e", 5);
        moveAlias(PredictionId.CHAMPION, "v-a");
        JsonNode answer = JSON.readTree(asPredictor().contentType(ContentType.JSON)
                .body("{\"text\":\"Claim your FREE prize now\",\"version\":\"v-e\"}").post(PATH, TASK).then()
                .statusCode(200).extract().asString());
        assertThat(answer.get("version").asText()).isEqualTo("v-e");
        assertThat(answer.get("variant").asText()).isEqualTo(PredictionId.REQUESTED);
        assertThat(PredictionId.parse(KEY, answer.get("predictionId").asText()).variant())
                .isEqualTo(PredictionId.REQUESTED);
        ServedModel alone = served.acquireVersion(TASK, "v-e");
        try {
            double spam = alone.predict(List.of("Claim your FREE prize now"), 128).get(0).probabilities()[1];
            assertThat(answer.get("scores").get("spam").asDouble()).isCloseTo(spam, within(1e-6));
        } finally {
            alone.release();
        }
        assertThat(served.slots(TASK).championVersion()).contains("v-a"); // routing untouched

        problem(TASK, "{\"text\":\"hi\",\"version\":\"v-none\"}", 404, "unknown-version", "v-none");
        problem(TASK, "{\"text\":\"hi\",\"version\":\"../v-a\"}", 400, "invalid-name", "\"version\"");
        problem(TASK, "{\"text\":\"hi\",\"version\":7}", 400, "malformed-request", "\"version\" must be a string");
        problem(TASK, "{\"text\":\"hi\",\"version\":\"v-a\",\"version\":\"v-e\"}", 400, "malformed-request",
                "version");
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("adapterloop_serving_adapter_cache_loads_total"))
                .body(containsString("adapterloop_serving_adapter_cache_bytes"));
    }

    @Test
    @Timeout(120)
    void championSwapsUnderLoadWithoutAFailedRequest() throws Exception {
        ensurePublished("v-a", 1);
        ensurePublished("v-d", 4);
        moveAlias(PredictionId.CHAMPION, "v-a");
        ServedModel old = served.slots(TASK).champion();
        assertThat(old.version()).isEqualTo("v-a");

        record Answer(long startedNanos, long endedNanos, int status, String version, String variant) {
        }
        ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        HttpClient http = HttpClient.newHttpClient();
        URI uri = endpoint.toURI();
        List<Thread> clients = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int thread = t;
            clients.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; !stop.get(); i++) {
                    long started = System.nanoTime();
                    try {
                        HttpResponse<String> response = http.send(TestApiKeys.asPredictor(HttpRequest.newBuilder(uri))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"Swap traffic " + i
                                        + "\",\"key\":\"client-" + thread + "-" + (i % 7) + "\"}")).build(),
                                HttpResponse.BodyHandlers.ofString());
                        JsonNode body = JSON.readTree(response.body());
                        answers.add(new Answer(started, System.nanoTime(), response.statusCode(),
                                body.path("version").asText(null), body.path("variant").asText(null)));
                    } catch (Exception e) {
                        answers.add(new Answer(started, System.nanoTime(), -1, String.valueOf(e), null));
                    }
                }
            }));
        }
        Thread.sleep(1000);
        long moved = System.nanoTime();
        assertThat(aliases.compareAndSet(aliases.read(TASK), PredictionId.CHAMPION, "v-d", "swap test", "test"))
                .isTrue();
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> answers.stream()
                .anyMatch(a -> "champion".equals(a.variant()) && "v-d".equals(a.version())));
        Thread.sleep(1000);
        stop.set(true);
        for (Thread client : clients) {
            client.join(30_000);
        }

        List<Answer> all = List.copyOf(answers);
        assertThat(all.stream().filter(a -> a.status() != 200).toList()).as("failed requests").isEmpty();
        long firstNew = all.stream().filter(a -> "champion".equals(a.variant()) && "v-d".equals(a.version()))
                .mapToLong(Answer::endedNanos).min().orElseThrow();
        assertThat(all.stream().filter(a -> a.startedNanos() > firstNew && "champion".equals(a.variant()))
                .map(Answer::version).collect(Collectors.toSet())).as("champion answers after the swap")
                .containsExactly("v-d");
        assertThat(all.stream().filter(a -> a.endedNanos() < moved).map(Answer::version))
                .as("before the alias moved").isNotEmpty().doesNotContain("v-d");
        System.out.printf("swap under load: %d requests, all 200; alias change to first v-d answer %d ms%n",
                all.size(), (firstNew - moved) / 1_000_000);
        // The old champion left its slot but stays loaded in the serving cache (a rollback to it loads nothing) until
        // the cache's budget needs its room (AdapterCacheTest: then it closes once its last request ends).
        assertThat(old.isClosed()).isFalse();
        assertThat(served.cachedVersions()).contains(TASK + "/v-a");
    }

    @Test
    @Timeout(120)
    void aCorruptVersionLeavesTheOldOneServing() throws Exception {
        ensurePublished("v-d", 4);
        moveAlias(PredictionId.CHAMPION, "v-d");
        ServingFixtures.publishVersion(registry, encoder(), TASK, "v-c", 3);
        ServingFixtures.truncateWeights(registry, TASK, "v-c");
        assertThat(aliases.compareAndSet(aliases.read(TASK), PredictionId.CHAMPION, "v-c", "corrupt", "test")).isTrue();
        TaskSlots slots = served.refresh(TASK).get(60, TimeUnit.SECONDS);

        assertThat(slots.championAlias()).isEqualTo("v-c");
        assertThat(slots.championVersion()).contains("v-d");
        assertThat(slots.problem()).contains("v-c").contains("failed to load").contains("serving v-d instead");
        for (int i = 0; i < 5; i++) {
            JsonNode answer = predict("Still answering " + i, "client-0-" + i);
            if (answer.get("variant").asText().equals("champion")) {
                assertThat(answer.get("version").asText()).isEqualTo("v-d");
            }
        }
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'serving' }.data.'spam.problem'", containsString("v-c"));
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("adapterloop_serving_load_failures_total{task=\"spam\",variant=\"champion\"}"));
    }

    /** Publishes {@code version} unless another test did already (versions are never overwritten). */
    private void ensurePublished(String version, long seed) throws Exception {
        ServingFixtures.ensureBaseModel(registry);
        if (registry.manifest(TASK, version).isEmpty()) {
            ServingFixtures.publishVersion(registry, encoder(), TASK, version, seed);
        }
    }

    /** Points the alias at {@code version} and waits until serving has loaded it. */
    private void moveAlias(String alias, String version) throws Exception {
        assertThat(aliases.compareAndSet(aliases.read(TASK), alias, version, "test", "test")).isTrue();
        served.refresh(TASK).get(60, TimeUnit.SECONDS);
    }

    private static PretrainedModel encoder() throws Exception {
        if (fixtureEncoder == null) {
            fixtureEncoder = PretrainedModel.load(BundledModel.folder(), Device.cpu());
        }
        return fixtureEncoder;
    }

    private static JsonNode predict(String text, String key) throws Exception {
        return JSON.readTree(asPredictor().contentType(ContentType.JSON)
                .body(JSON.writeValueAsString(Map.of("text", text, "key", key))).post(PATH, TASK).then()
                .statusCode(200).extract().asString());
    }

    private static void problem(String task, String body, int status, String type, String detail) {
        asPredictor().contentType(ContentType.JSON).body(body).post(PATH.replace("{task}", task)).then()
                .statusCode(status).contentType("application/problem+json")
                .body("type", equalTo("https://adapterloop.dev/problems/" + type))
                .body("status", equalTo(status))
                .body("title", not(emptyOrNullString()))
                .body("instance", equalTo("/api/tasks/" + task + "/predictions"))
                .body("task", equalTo(task))
                .body("detail", containsString(detail));
    }
}
