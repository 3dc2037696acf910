package dev.adapterloop.api;

import static dev.adapterloop.testing.TestApiKeys.asAdmin;
import static dev.adapterloop.testing.TestApiKeys.asPredictor;
import static dev.adapterloop.testing.TestApiKeys.asReader;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import dev.adapterloop.events.AdapterManifest;
import dev.adapterloop.events.DatasetRef;
import dev.adapterloop.events.TrainingCurve;
import dev.adapterloop.training.JobRecord;
import dev.adapterloop.training.JobStore;
import dev.adapterloop.training.TrainingJob;
import dev.adapterloop.registry.AdapterRegistry;
import dev.adapterloop.registry.ObjectStore;
import dev.adapterloop.testing.EmbeddedInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The registry's REST API over a real S3 server. Versions are written straight into the bucket (payload, then
 * manifest) rather than trained; each test uses tasks of its own.
 */
@QuarkusTest
@Tag("quarkus")
@QuarkusTestResource(value = EmbeddedInfraResource.class, restrictToAnnotatedClass = true)
@Timeout(120)
class RegistryApiTest {
    private static final String PROBLEM_JSON = "application/problem+json";

    @Inject
    ObjectStore store;

    @Inject
    JobStore jobs;

    @Test
    void tasksAreTheConfiguredOnesAndThoseInTheBucket() {
        putVersion("api-listed", "v1", null, true);

        asAdmin().get("/api/tasks").then().statusCode(200)
                .body("tasks.find { it.name == 'spam' }.configured", equalTo(true))
                .body("tasks.find { it.name == 'api-listed' }.configured", equalTo(false))
                .body("tasks.find { it.name == 'api-listed' }.stored", equalTo(true));
    }

    @Test
    void versionsManifestsAndLineage() {
        putVersion("api-versions", "v1", null, true);
        putVersion("api-versions", "v2", "v1", true);
        putVersion("api-versions", "v3-uploading", "v2", false);

        asAdmin().get("/api/tasks/api-versions/versions").then().statusCode(200)
                .body("task", equalTo("api-versions"))
                .body("versions", equalTo(java.util.List.of("v1", "v2")));
        asAdmin().get("/api/tasks/api-versions/versions/v2").then().statusCode(200)
                .body("version", equalTo("v2")).body("parentVersion", equalTo("v1")).body("method", equalTo("lora"));
        asAdmin().get("/api/tasks/api-versions/versions/v2/lineage").then().statusCode(200)
                .body("complete", equalTo(true)).body("problem", nullValue())
                .body("chain.version", equalTo(java.util.List.of("v2", "v1")));

        asAdmin().get("/api/tasks/api-versions/versions/v3-uploading").then().statusCode(404)
                .contentType(PROBLEM_JSON)
                .body("detail", equalTo("adapter version 'v3-uploading' of task 'api-versions' not found (no "
                        + "adapters/api-versions/v3-uploading/manifest.json)"));
        asAdmin().get("/api/tasks/api-versions/versions/v3-uploading/lineage").then().statusCode(404);
        asAdmin().get("/api/tasks/no-such-task/versions").then().statusCode(404)
                .body("detail", containsString("task 'no-such-task' is neither configured"));
    }

    @Test
    void aVersionsTrainingCurveIsReadAndOneStoredWithoutItIsNotFound() {
        putVersion("api-curves", "v1", null, true);
        putVersion("api-curves", "v2", "v1", true);
        putVersion("api-curves", "v3-uploading", "v2", false);
        store.put(AdapterRegistry.adapterPrefix("api-curves", "v2") + TrainingCurve.FILE,
                ("{\"schemaVersion\":1,\"points\":[{\"step\":1,\"loss\":0.7,\"learningRate\":0.001},"
                        + "{\"step\":2,\"loss\":0.5,\"learningRate\":0.0005}]}").getBytes(StandardCharsets.UTF_8),
                "application/json");
        store.put(AdapterRegistry.adapterPrefix("api-curves", "v3-uploading") + TrainingCurve.FILE,
                "{\"schemaVersion\":1,\"points\":[]}".getBytes(StandardCharsets.UTF_8), "application/json");
        String path = "/api/tasks/api-curves/versions/";

        asReader().get(path + "v2/training-curve").then().statusCode(200)
                .body("points.step", equalTo(java.util.List.of(1, 2)))
                .body("points[1].loss", equalTo(0.5f)).body("points[0].learningRate", equalTo(0.001f));
        asReader().get(path + "v1/training-curve").then().statusCode(404).contentType(PROBLEM_JSON)
                .body("detail", equalTo("adapter version 'v1' of task 'api-curves' was stored without "
                        + "training-curve.json"));
        // An incomplete version has no curve to show, whatever files it already has.
        asReader().get(path + "v3-uploading/training-curve").then().statusCode(404)
                .body("detail", containsString("not found"));
        given().get(path + "v2/training-curve").then().statusCode(401);
        asPredictor().get(path + "v2/training-curve").then().statusCode(403);
    }

    @Test
    void aliasesMoveByCompareAndSet() {
        putVersion("api-aliases", "v1", null, true);
        putVersion("api-aliases", "v2", "v1", true);
        String path = "/api/tasks/api-aliases/aliases";

        asAdmin().get(path).then().statusCode(200).body("generation", equalTo(0)).body("aliases", equalTo(Map.of()));

        put(path + "/champion", "{\"version\":\"v1\",\"expectedGeneration\":0,\"reason\":\"first\"}")
                .statusCode(200).body("generation", equalTo(1))
                .body("aliases.champion.version", equalTo("v1")).body("aliases.champion.reason", equalTo("first"));

        put(path + "/champion", "{\"version\":\"v2\",\"expectedGeneration\":0,\"reason\":\"stale read\"}")
                .statusCode(409)
                .body("detail", containsString("at generation 1, not 0"))
                .body("current.generation", equalTo(1)).body("current.aliases.champion.version", equalTo("v1"));

        put(path + "/challenger", "{\"version\":\"v2\",\"expectedGeneration\":1}").statusCode(200)
                .body("generation", equalTo(2)).body("aliases", hasKey("challenger"));
        put(path + "/challenger", "{\"version\":null,\"expectedGeneration\":2,\"reason\":\"done\"}").statusCode(200)
                .body("generation", equalTo(3)).body("aliases", not(hasKey("challenger")));
        asAdmin().get(path).then().statusCode(200).body("generation", equalTo(3))
                .body("aliases.champion.version", equalTo("v1"));
    }

    @Test
    void aliasChangesThatCannotBeMadeAreRefusedWithTheReason() {
        putVersion("api-refused", "ready", null, true);
        putVersion("api-refused", "half", null, false);
        String path = "/api/tasks/api-refused/aliases";

        put(path + "/champion", "{\"version\":\"half\",\"expectedGeneration\":0}").statusCode(422)
                .body("detail", containsString("adapters/api-refused/half/manifest.json does not exist"));
        put(path + "/Champion", "{\"version\":\"ready\",\"expectedGeneration\":0}").statusCode(400)
                .body("detail", containsString("alias must be"));
        put(path + "/champion", "{\"version\":\"ready\"}").statusCode(400)
                .body("detail", containsString("expectedGeneration"));
        put(path + "/champion", "{\"version\":\"a/../b\",\"expectedGeneration\":0}").statusCode(400)
                .body("detail", containsString("adapter version must be"));
        put("/api/tasks/no-such-task/aliases/champion", "{\"version\":\"ready\",\"expectedGeneration\":0}")
                .statusCode(404);
        asAdmin().get(path).then().statusCode(200).body("generation", equalTo(0));
    }

    @Test
    void pathTraversalIsRefused() {
        putVersion("api-safe", "v1", null, true);
        // Encoded separators reach the resource as one path parameter, and the name check refuses them by name.
        asAdmin().urlEncodingEnabled(false).get("/api/tasks/..%2Fmodels/versions").then().statusCode(400)
                .contentType(PROBLEM_JSON).body("detail", containsString("task must be"))
                .body("detail", containsString("got '../models'"));
        asAdmin().urlEncodingEnabled(false).get("/api/tasks/api-safe/versions/..%2F..%2Fmodels%2Fx").then()
                .statusCode(400).body("detail", containsString("adapter version must be"));
        asAdmin().urlEncodingEnabled(false).get("/api/tasks/a%5C..%5Cb/versions").then().statusCode(400)
                .body("detail", containsString("task must be"));
        // Bare dot segments (also percent-encoded) are removed by the HTTP server (RFC 3986 normalisation) before
        // routing: /api/tasks/../aliases becomes /api/aliases, which nothing serves.
        asAdmin().urlEncodingEnabled(false).get("/api/tasks/%2E%2E/aliases").then().statusCode(404);
        asAdmin().urlEncodingEnabled(false).get("/api/tasks/../aliases").then().statusCode(404);
    }

    @Test
    void jobsAreListedFromTheirRecords() {
        putVersion("api-jobs", "v1", null, true);
        DatasetRef data = new DatasetRef("datasets/api-jobs/a.jsonl", 10L, null);
        DatasetRef heldOut = new DatasetRef("datasets/api-jobs/held-out.jsonl", null, null);
        JobRecord queued = JobRecord.queued(new TrainingJob("job-api-1", "api-jobs", "event-1",
                java.util.List.of(data), heldOut), java.util.List.of("event-1"), 999); // a partition no replica owns: never run
        jobs.save(queued);
        jobs.save(JobRecord.queued(new TrainingJob("job-api-2", "api-jobs", "event-2", java.util.List.of(data),
                heldOut), java.util.List.of("event-2"), 999));

        asAdmin().get("/api/tasks/api-jobs/jobs").then().statusCode(200)
                .body("jobs.jobId", hasItem("job-api-1")).body("jobs.jobId", hasItem("job-api-2"))
                .body("jobs.find { it.jobId == 'job-api-1' }.state", equalTo("QUEUED"))
                .body("jobs.find { it.jobId == 'job-api-1' }.sourceEventIds", equalTo(java.util.List.of("event-1")));
        asAdmin().get("/api/jobs?state=queued").then().statusCode(200).body("jobs.jobId", hasItem("job-api-2"));
        asAdmin().get("/api/jobs?state=SUCCEEDED").then().statusCode(200)
                .body("jobs.jobId", not(hasItem("job-api-2")));
        asAdmin().get("/api/tasks/api-jobs/jobs/job-api-1").then().statusCode(200)
                .body("datasets[0].key", equalTo("datasets/api-jobs/a.jsonl"));
        asAdmin().get("/api/tasks/api-jobs/jobs/job-missing").then().statusCode(404)
                .body("detail", containsString("job-missing"));
        asAdmin().get("/api/jobs?state=DONE").then().statusCode(400).body("detail", containsString("QUEUED"));
        asAdmin().get("/api/tasks/no-such-task/jobs").then().statusCode(404);
    }

    @Test
    void theOpenApiDocumentListsTheRegistryPaths() {
        given().accept(ContentType.JSON).get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.keySet()", hasItem("/api/tasks"))
                .body("paths.keySet()", hasItem("/api/tasks/{task}/versions"))
                .body("paths.keySet()", hasItem("/api/tasks/{task}/versions/{version}"))
                .body("paths.keySet()", hasItem("/api/tasks/{task}/versions/{version}/lineage"))
                .body("paths.keySet()", hasItem("/api/tasks/{task}/aliases"))
                .body("paths.keySet()", hasItem("/api/tasks/{task}/aliases/{alias}"))
                .body("paths.keySet()", hasItem("/api/jobs"))
                .body("paths.keySet()", hasItem("/api/tasks/{task}/jobs/{jobId}"))
                .body("paths.'/api/tasks/{task}/aliases/{alias}'.put.summary", containsString("Point an alias"));
    }

    private static io.restassured.response.ValidatableResponse put(String path, String body) {
        return asAdmin().contentType(ContentType.JSON).body(body).put(path).then();
    }

    private void putVersion(String task, String version, String parent, boolean complete) {
        String prefix = AdapterRegistry.adapterPrefix(task, version);
        store.put(prefix + "adapter_config.json", "{}".getBytes(StandardCharsets.UTF_8), "application/json");
        if (complete) {
            String manifest = "{\"schemaVersion\":1,\"task\":\"" + task + "\",\"version\":\"" + version + "\""
                    + (parent == null ? "" : ",\"parentVersion\":\"" + parent + "\"")
                    + ",\"method\":\"lora\",\"createdAt\":\"2026-01-01T00:00:00Z\",\"durationMillis\":1}";
            store.put(prefix + AdapterManifest.FILE, manifest.getBytes(StandardCharsets.UTF_8), "application/json");
        }
    }
}
