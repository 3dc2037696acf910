package dev.adapterloop.http;

import static dev.adapterloop.testing.TestApiKeys.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;

import dev.adapterloop.events.AdapterManifest;
import dev.adapterloop.registry.AdapterRegistry;
import dev.adapterloop.registry.AliasStore;
import dev.adapterloop.registry.ObjectStore;
import dev.adapterloop.registry.PipelineRecords;
import dev.adapterloop.testing.EmbeddedInfraResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every kind of error answer of the running service, over a real S3 server and Kafka broker, has the one format of
 * docs/http-errors.md: {@code application/problem+json} with type, title, status, detail and instance, whether the
 * API refused the request, the framework did (no such path, method or media type, a body that is not JSON, one too
 * large) or the service failed. Each test uses tasks of its own.
 */
@QuarkusTest
@Tag("quarkus")
@QuarkusTestResource(value = EmbeddedInfraResource.class, restrictToAnnotatedClass = true)
@Timeout(120)
class HttpErrorFormatTest {
    private static final String PROBLEM_JSON = "application/problem+json";
    private static final String TYPES = "https://adapterloop.dev/problems/";

    @Inject
    ObjectStore store;

    @ConfigProperty(name = "adapterloop.s3.endpoint")
    String s3Endpoint;

    @TestHTTPResource("/")
    URL root;

    @Test
    void aBodyThatFailsValidationListsEachError() {
        putVersion("errors-validation", "v1");
        String path = "/api/tasks/errors-validation/aliases/champion";

        problem(put(path, "{\"version\":\"v1\",\"reason\":\"" + "x".repeat(AliasStore.MAX_REASON_LENGTH + 1) + "\"}"),
                400, "validation-failed", path)
                .body("detail", containsString("expectedGeneration"))
                .body("errors.field", equalTo(List.of("expectedGeneration", "reason")))
                .body("errors[1].detail", containsString("at most " + AliasStore.MAX_REASON_LENGTH + " characters"));
        problem(asAdmin().get("/api/jobs?state=DONE").then(), 400, "validation-failed", "/api/jobs")
                .body("errors[0].field", equalTo("state")).body("errors[0].detail", containsString("QUEUED"));
        problem(asAdmin().urlEncodingEnabled(false).get("/api/tasks/..%2Fmodels/versions").then(), 400,
                "invalid-name", "/api/tasks/..%2Fmodels/versions")
                .body("detail", containsString("task must be"));
    }

    @Test
    void anUnknownTaskNamesIt() {
        problem(asAdmin().get("/api/tasks/errors-nobody/versions").then(), 404, "unknown-task",
                "/api/tasks/errors-nobody/versions")
                .body("task", equalTo("errors-nobody"))
                .body("detail", equalTo("task 'errors-nobody' is neither configured (adapterloop.tasks.errors-nobody.*)"
                        + " nor in the bucket"));
    }

    @Test
    void anUnknownVersionNamesTaskAndVersion() {
        putVersion("errors-versions", "v1");
        String path = "/api/tasks/errors-versions/versions/v9/lineage";

        problem(asAdmin().get(path).then(), 404, "unknown-version", path)
                .body("task", equalTo("errors-versions")).body("version", equalTo("v9"))
                .body("detail", containsString("adapter version 'v9' of task 'errors-versions' not found"));
    }

    @Test
    void aBodyThatIsNotJsonOrOfTheWrongShapeIsMalformed() {
        putVersion("errors-json", "v1");
        String path = "/api/tasks/errors-json/aliases/champion";

        problem(put(path, "{\"version\": \"v1\", "), 400, "malformed-request", path)
                .body("detail", containsString("not valid JSON"));
        problem(put(path, "{\"version\":\"v1\",\"expectedGeneration\":\"soon\"}"), 400, "malformed-request", path)
                .body("detail", containsString("field 'expectedGeneration'"));
        asAdmin().get("/api/tasks/errors-json/aliases").then().statusCode(200).body("generation", equalTo(0));
    }

    @Test
    void aPathNothingServesIsNotFound() {
        problem(asAdmin().get("/api/no-such-resource").then(), 404, "not-found", "/api/no-such-resource")
                .body("detail", equalTo("nothing is served at /api/no-such-resource"));
        problem(asAdmin().get("/nowhere/at/all").then(), 404, "not-found", "/nowhere/at/all");
    }

    @Test
    void aMethodOrMediaTypeTheResourceDoesNotTakeIsRefused() {
        putVersion("errors-media", "v1");
        String path = "/api/tasks/errors-media/aliases/champion";

        problem(asAdmin().contentType(ContentType.TEXT).body("v1").put(path).then(), 415, "unsupported-media-type",
                path)
                .body("detail", containsString("text/plain"));
        problem(asAdmin().delete("/api/tasks").then(), 405, "method-not-allowed", "/api/tasks")
                .body("detail", containsString("DELETE"));
        problem(asAdmin().accept("text/csv").get("/api/tasks").then(), 406, "not-acceptable", "/api/tasks")
                .body("detail", containsString("text/csv"));
    }

    /** Quarkus refuses a declared length over quarkus.http.limits.max-body-size before reading the body. */
    @Test
    void aBodyOverTheSizeLimitIsRefusedUnread() throws IOException {
        String path = "/api/tasks/errors-large/aliases/champion";
        try (Socket socket = new Socket(root.getHost(), root.getPort())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(("PUT " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 100000000\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = readResponse(socket.getInputStream());

            assertThat(answer).startsWith("HTTP/1.1 413").containsIgnoringCase("content-type: " + PROBLEM_JSON)
                    .contains("\"type\":\"" + TYPES + "request-too-large\"", "\"status\":413",
                            "\"instance\":\"" + path + "\"", "100000000 bytes");
        }
    }

    /**
     * A job record that is not JSON fails the request on the server's side: 500 with an id that the log line
     * carrying the cause also has, and nothing internal (the record's key, the exception, the bucket).
     */
    @Test
    void aServerSideFailureAnswersAnIdTheLogAlsoHas() {
        putVersion("errors-internal", "v1");
        store.put(PipelineRecords.jobKey("errors-internal", "job-garbled"), "{garbled".getBytes(StandardCharsets.UTF_8),
                "application/json");
        String path = "/api/tasks/errors-internal/jobs/job-garbled";
        List<LogRecord> logged = new CopyOnWriteArrayList<>();
        Logger mappers = Logger.getLogger(HttpProblemMappers.class.getName());
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        mappers.addHandler(capture);
        String body;
        try {
            body = problem(asAdmin().get(path).then(), 500, "internal-error", path)
                    .body("errorId", matchesPattern("[0-9a-f-]{36}"))
                    .extract().asString();
        } finally {
            mappers.removeHandler(capture);
        }

        String errorId = io.restassured.path.json.JsonPath.from(body).getString("errorId");
        assertThat(body).contains(errorId).doesNotContain("pipeline record", ".json", "JobRecord", "Unexpected",
                "Exception", "dev.adapterloop", EmbeddedInfraResource.BUCKET, s3Endpoint);
        assertThat(logged).as("log records of %s", HttpProblemMappers.class.getSimpleName())
                .anySatisfy(record -> {
                    assertThat(record.getMessage() + " " + java.util.Arrays.toString(record.getParameters()))
                            .contains(errorId).contains("job-garbled");
                    assertThat(record.getThrown()).isNotNull();
                });
    }

    /** A corrupt aliases document is the registry's own 500: its key helps whoever must repair it. */
    @Test
    void aCorruptStoredObjectIsNamedByItsKey() {
        putVersion("errors-corrupt", "v1");
        store.put(AliasStore.aliasesKey("errors-corrupt"), "[]".getBytes(StandardCharsets.UTF_8), "application/json");
        String path = "/api/tasks/errors-corrupt/aliases";

        problem(asAdmin().get(path).then(), 500, "corrupt-object", path)
                .body("key", equalTo(AliasStore.aliasesKey("errors-corrupt")))
                .body("errorId", matchesPattern("[0-9a-f-]{36}"))
                .body(not(containsString(EmbeddedInfraResource.BUCKET)));
    }

    /** The shape every problem shares; callers add what their type promises. */
    private static ValidatableResponse problem(ValidatableResponse response, int status, String type,
                                               String instance) {
        return response.statusCode(status).contentType(PROBLEM_JSON)
                .body("type", equalTo(TYPES + type))
                .body("title", equalTo(titleOf(type)))
                .body("status", equalTo(status))
                .body("detail", not(emptyOrNullString()))
                .body("instance", equalTo(instance))
                .body(not(containsString("\tat ")));
    }

    private static String titleOf(String slug) {
        return ProblemType.valueOf(slug.toUpperCase(java.util.Locale.ROOT).replace('-', '_')).title();
    }

    private static ValidatableResponse put(String path, String body) {
        return asAdmin().contentType(ContentType.JSON).body(body).put(path).then();
    }

    private void putVersion(String task, String version) {
        String prefix = AdapterRegistry.adapterPrefix(task, version);
        String manifest = "{\"schemaVersion\":1,\"task\":\"" + task + "\",\"version\":\"" + version + "\""
                + ",\"method\":\"lora\",\"createdAt\":\"2026-01-01T00:00:00Z\",\"durationMillis\":1}";
        store.put(prefix + AdapterManifest.FILE, manifest.getBytes(StandardCharsets.UTF_8), "application/json");
    }

    /** The status line, the headers and a body of Content-Length bytes (the connection may stay open). */
    private static String readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        String headers = head.toString(StandardCharsets.US_ASCII);
        java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)")
                .matcher(headers);
        byte[] body = length.find() ? in.readNBytes(Integer.parseInt(length.group(1))) : new byte[0];
        return headers + new String(body, StandardCharsets.UTF_8);
    }
}
