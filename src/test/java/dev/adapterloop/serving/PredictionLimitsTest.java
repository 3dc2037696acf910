package dev.adapterloop.serving;

import static dev.adapterloop.testing.TestApiKeys.asAdmin;
import static dev.adapterloop.testing.TestApiKeys.asPredictor;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterloop.testing.EmbeddedInfraResource;
import dev.adapterloop.testing.TestApiKeys;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The predictions route's own bounds over real HTTP (the service in the test profile: max-batch 8, max-text-chars
 * 2000, so a body of at most 161,560 bytes): a body declared larger is refused 413 before it is read, while another
 * route keeps the general limit; a body without a length is cut off at the limit as it is read; reading stops at the
 * ninth text; requests beyond max-concurrent-requests get 429 with Retry-After, a body that stalls has its connection
 * closed after body-read-timeout, and a request's permit comes back when its connection goes. The task used has no champion, so that a request let through answers 503 no-champion
 * without inference; the heap under many large bodies is ServiceProcessLimitsIT's.
 */
@QuarkusTest
@Tag("quarkus")
@QuarkusTestResource(value = EmbeddedInfraResource.class, restrictToAnnotatedClass = true)
class PredictionLimitsTest {

    /** Configured for serving, without a champion in this class. */
    private static final String TASK = "abtest";
    private static final String PATH = "/api/tasks/" + TASK + "/predictions";
    private static final long LIMIT = 8 * (6 * 2000 + 3) + 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource(PATH)
    URL endpoint;

    @ConfigProperty(name = "adapterloop.serving.max-concurrent-requests", defaultValue = "16")
    int maxConcurrentRequests;

    @Test
    @Timeout(60)
    void aBodyDeclaredLargerThanAPredictionsRequestCanBeIsRefusedWhileOtherRoutesKeepTheGeneralLimit() {
        String padded = "{\"text\":\"hello\",\"pad\":\"" + "x".repeat((int) LIMIT) + "\"}";
        asPredictor().contentType(ContentType.JSON).body(padded).post(PATH).then()
                .statusCode(413).contentType("application/problem+json")
                .body("type", equalTo("https://adapterloop.dev/problems/request-too-large"))
                .body("instance", equalTo(PATH))
                .body("detail", containsString("more than the " + LIMIT + " bytes a predictions request may have"))
                .body("detail", containsString("adapterloop.serving.max-batch 8"))
                .body("detail", containsString("adapterloop.serving.max-text-chars 2000"));
        // Other spellings of the path are admitted by the same route (or served by none).
        for (String spelling : List.of(PATH + "/", "/api/tasks/ab%74est/predictions", "//api/tasks/abtest/predictions",
                "/api/tasks/x/../abtest/predictions")) {
            assertThat(asPredictor().urlEncodingEnabled(false).contentType(ContentType.JSON).body(padded)
                    .post(spelling).statusCode()).as(spelling).isIn(404, 413);
        }
        // The same size on the alias route is read and judged on its content: the general limit is not lowered.
        asAdmin().contentType(ContentType.JSON).body("{\"expectedGeneration\":0,\"version\":null,\"reason\":\""
                        + "x".repeat((int) LIMIT) + "\"}").put("/api/tasks/" + TASK + "/aliases/champion").then()
                .statusCode(400).body("type", equalTo("https://adapterloop.dev/problems/validation-failed"));
        // Just under the limit is read: this task has no champion.
        String under = "{\"text\":\"hello\",\"pad\":\"" + "x".repeat((int) LIMIT - 64) + "\"}";
        asPredictor().contentType(ContentType.JSON).body(under).post(PATH).then().statusCode(503)
                .body("type", equalTo("https://adapterloop.dev/problems/no-champion"));
    }

    @Test
    @Timeout(60)
    void aBodyWithoutALengthIsCutOffAtTheLimitAsItIsRead() throws Exception {
        byte[] body = ("{\"texts\":[\"a\"" + " ".repeat((int) LIMIT) + "]}").getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(endpoint.toURI()).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header(TestApiKeys.AUTHORIZATION, TestApiKeys.bearer(TestApiKeys.PREDICT))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build();
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(request.headers().firstValue("Content-Length")).as("sent chunked").isEmpty();
            assertThat(response.statusCode()).as(response.body()).isEqualTo(413);
            JsonNode problem = JSON.readTree(response.body());
            assertThat(problem.get("type").asText()).isEqualTo("https://adapterloop.dev/problems/request-too-large");
            assertThat(problem.get("task").asText()).isEqualTo(TASK);
            assertThat(problem.get("detail").asText()).contains("larger than the " + LIMIT + " bytes");
        }
    }

    @Test
    @Timeout(60)
    void readingStopsAtTheTextAfterMaxBatch() {
        // Nine texts, then something that is not JSON: a parser that read it all first would call it malformed.
        String body = "{\"texts\":[\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",\"a\",this is never read";
        asPredictor().contentType(ContentType.JSON).body(body).post(PATH).then()
                .statusCode(413).contentType("application/problem+json")
                .body("type", equalTo("https://adapterloop.dev/problems/too-many-texts"))
                .body("detail", equalTo("at least 9 texts in one request, at most 8 allowed"
                        + " (adapterloop.serving.max-batch)"));
        asPredictor().contentType(ContentType.JSON).body("{\"texts\":[\"" + "y".repeat(2001) + "\",\"and more\"")
                .post(PATH).then().statusCode(413)
                .body("type", equalTo("https://adapterloop.dev/problems/text-too-long"))
                .body("detail", containsString("at most 2000 allowed (adapterloop.serving.max-text-chars)"));
    }

    @Test
    @Timeout(90)
    void requestsBeyondTheConcurrencyLimitGet429AndStalledBodiesAreCutOffAndGiveTheirPermitsBack() throws Exception {
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < maxConcurrentRequests; i++) {
                held.add(slowRequest()); // admitted, then waiting for a body that never comes
            }
            Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                    .until(() -> asPredictor().contentType(ContentType.JSON).body("{\"text\":\"hi\"}").post(PATH)
                            .statusCode() == 429);
            asPredictor().contentType(ContentType.JSON).body("{\"text\":\"hi\"}").post(PATH).then()
                    .statusCode(429).header("Retry-After", "1").contentType("application/problem+json")
                    .body("type", equalTo("https://adapterloop.dev/problems/too-many-requests"))
                    .body("status", equalTo(429))
                    .body("detail", containsString(maxConcurrentRequests + " prediction requests are in flight"))
                    .body("detail", containsString("adapterloop.serving.max-concurrent-requests"));
            // Their bodies never finish: the service closes them after body-read-timeout (5 s in the test profile).
            for (Socket socket : held) {
                assertThat(closedByTheService(socket)).as("a stalled body's connection is closed").isTrue();
            }
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
        // Nothing answered those requests: their permits come back with their connections.
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> asPredictor().contentType(ContentType.JSON).body("{\"text\":\"hi\"}").post(PATH)
                        .statusCode() == 503);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("adapterloop_predictions_refused_total{reason=\"too-many-requests\"}"));
    }

    private static boolean closedByTheService(Socket socket) throws IOException {
        socket.setSoTimeout(20_000);
        try {
            return socket.getInputStream().read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) { // reset
            return true;
        }
    }

    /** A prediction request whose chunked body starts and then stalls. */
    private Socket slowRequest() throws IOException {
        Socket socket = new Socket(endpoint.getHost(), endpoint.getPort());
        OutputStream out = socket.getOutputStream();
        out.write(("POST " + PATH + " HTTP/1.1\r\nHost: " + URI.create(endpoint.toString()).getAuthority()
                + "\r\nAuthorization: Bearer " + TestApiKeys.PREDICT + "\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n5\r\n{\"tex\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }
}
