package dev.adapterloop.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.adapterloop.events.AdapterManifest;
import dev.adapterloop.events.AdapterPromotionEvent;
import dev.adapterloop.registry.AdapterRegistry;
import dev.adapterloop.registry.AliasStore;
import dev.adapterloop.registry.AliasesDocument;
import dev.adapterloop.registry.ObjectStore;
import dev.adapterloop.testing.EmbeddedInfraResource;
import dev.adapterloop.testing.KafkaTestClient;
import dev.adapterloop.testing.TestApiKeys;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import io.smallrye.jwt.build.Jwt;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Who may do what, over the running service with a real S3 server and Kafka broker: no credentials, each role's API
 * key, an unknown key, and JWTs of the configured issuer (signed with a key pair {@link JwtKeysResource} generated)
 * and refused ones. Every refusal is a problem (401 with {@code WWW-Authenticate}, 403); health stays open; an alias
 * move records its principal in the history and on {@code adapter-promotions}. Each test uses tasks of its own.
 */
@QuarkusTest
@Tag("quarkus")
@QuarkusTestResource(value = EmbeddedInfraResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = JwtKeysResource.class, restrictToAnnotatedClass = true)
@Timeout(120)
class ApiSecurityTest {
    private static final String PROBLEM_JSON = "application/problem+json";
    private static final String TYPES = "https://adapterloop.dev/problems/";
    private static final String CHALLENGE = "Bearer realm=\"adapterloop\"";
    private static final String INVALID_TOKEN = "Bearer realm=\"adapterloop\", error=\"invalid_token\"";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    ObjectStore store;

    @Inject
    AliasStore aliases;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void withoutCredentialsTheApiIsClosedAndHealthIsOpen() {
        putVersion("sec-anonymous", "v1");
        String aliasPath = "/api/tasks/sec-anonymous/aliases/champion";

        for (String path : List.of("/api/tasks", "/api/tasks/sec-anonymous/versions",
                "/api/tasks/sec-anonymous/versions/v1", "/api/tasks/sec-anonymous/aliases", "/api/jobs",
                "/api/tasks/sec-anonymous/jobs")) {
            refused(given().get(path).then(), 401, "authentication-required", path)
                    .header("WWW-Authenticate", CHALLENGE)
                    .body("detail", containsString("GET " + path + " needs credentials"));
        }
        refused(given().contentType(ContentType.JSON).body(move("v1", 0)).put(aliasPath).then(), 401,
                "authentication-required", aliasPath).header("WWW-Authenticate", CHALLENGE);
        refused(given().contentType(ContentType.JSON).body("{\"text\":\"hi\"}").post("/api/tasks/spam/predictions")
                .then(), 401, "authentication-required", "/api/tasks/spam/predictions");
        assertThat(aliases.read("sec-anonymous").generation()).isZero();

        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/health").then().statusCode(200);
        given().accept(ContentType.JSON).get("/q/openapi?format=json").then().statusCode(200)
                .body("components.securitySchemes.SecurityScheme.scheme", equalTo("bearer"));
        // a refused credential does not close what is open
        given().header("Authorization", "Bearer al_no-such-key-000000000000").get("/q/health/live").then()
                .statusCode(200);
    }

    @Test
    void aPredictKeyPredictsAndMayNeitherReadNorMoveAliases() {
        putVersion("sec-predict", "v1");
        String aliasPath = "/api/tasks/sec-predict/aliases/champion";

        // past the role check: the task (configured for serving in tests) has no champion
        TestApiKeys.asPredictor().contentType(ContentType.JSON).body("{\"text\":\"hi\"}")
                .post("/api/tasks/abtest/predictions").then().statusCode(503)
                .body("type", equalTo(TYPES + "no-champion"));
        refused(TestApiKeys.asPredictor().get("/api/tasks/sec-predict/versions").then(), 403, "forbidden",
                "/api/tasks/sec-predict/versions")
                .body("detail", equalTo("'test-predict' (roles [predict]) may not GET /api/tasks/sec-predict/versions:"
                        + " that needs one of the roles read, admin"));
        refused(TestApiKeys.asPredictor().contentType(ContentType.JSON).body(move("v1", 0)).put(aliasPath).then(),
                403, "forbidden", aliasPath)
                .body("detail", containsString("that needs the role admin"));
        assertThat(aliases.read("sec-predict").generation()).isZero();
    }

    @Test
    void aReadKeyReadsAndMayNeitherMoveAliasesNorPredict() {
        putVersion("sec-read", "v1");
        String aliasPath = "/api/tasks/sec-read/aliases/champion";

        TestApiKeys.asReader().get("/api/tasks").then().statusCode(200);
        TestApiKeys.asReader().get("/api/tasks/sec-read/versions/v1").then().statusCode(200)
                .body("version", equalTo("v1"));
        TestApiKeys.asReader().get("/api/tasks/sec-read/aliases").then().statusCode(200);
        TestApiKeys.asReader().get("/api/jobs").then().statusCode(200);
        refused(TestApiKeys.asReader().contentType(ContentType.JSON).body(move("v1", 0)).put(aliasPath).then(),
                403, "forbidden", aliasPath);
        refused(TestApiKeys.asReader().contentType(ContentType.JSON).body("{\"text\":\"hi\"}")
                .post("/api/tasks/abtest/predictions").then(), 403, "forbidden", "/api/tasks/abtest/predictions")
                .body("detail", containsString("one of the roles predict, admin"));
        assertThat(aliases.read("sec-read").generation()).isZero();
    }

    @Test
    void anAdminKeyMovesAnAliasAndItsNameIsRecordedInTheHistoryAndTheEvent() throws Exception {
        putVersion("sec-admin", "v1");
        putVersion("sec-admin", "v2");
        String path = "/api/tasks/sec-admin/aliases/champion";

        TestApiKeys.asAdmin().contentType(ContentType.JSON).body(move("v1", 0)).put(path).then().statusCode(200)
                .body("generation", equalTo(1)).body("updatedBy", equalTo("test-admin"));
        TestApiKeys.asAdmin().contentType(ContentType.JSON).body(move("v2", 1)).put(path).then().statusCode(200);
        TestApiKeys.asAdmin().get("/api/tasks/sec-admin/versions").then().statusCode(200); // admin reads too

        assertThat(aliases.history("sec-admin")).extracting(AliasesDocument::updatedBy)
                .containsExactly("test-admin", "test-admin");
        List<JsonNode> moved = aliasMovedEvents("sec-admin", 2);
        assertThat(moved).extracting(e -> e.get("principal").asText()).containsExactly("test-admin", "test-admin");
        assertThat(moved.get(1).get("from").asText()).isEqualTo("v1");
        assertThat(moved.get(1).get("to").asText()).isEqualTo("v2");
        assertThat(moved.get(1).get("generation").asLong()).isEqualTo(2);
        assertThat(moved.get(1).get("reason").asText()).isEqualTo("security test");
    }

    @Test
    void anUnknownKeyIsRefusedAndNeverWrittenToTheLog() {
        String key = "al_unknown-key-4c1f9e2b7a6d3058-must-not-be-logged";
        List<LogRecord> logged = new CopyOnWriteArrayList<>();
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
        Logger root = Logger.getLogger("");
        List<Logger> verbose = new ArrayList<>();
        List<Level> before = new ArrayList<>();
        for (String category : List.of("io.quarkus.security", "io.quarkus.vertx.http", "io.smallrye.jwt",
                "io.quarkus.smallrye.jwt", "io.quarkus.resteasy.reactive", "org.jboss.resteasy.reactive",
                "dev.adapterloop")) {
            Logger logger = Logger.getLogger(category);
            verbose.add(logger);
            before.add(logger.getLevel());
            logger.setLevel(Level.FINE); // DEBUG: what an operator chasing a login problem would turn on
        }
        root.addHandler(capture);
        String body;
        try {
            Logger.getLogger("dev.adapterloop.security").fine("capture check"); // the capture sees DEBUG lines
            body = refused(given().header("Authorization", "Bearer " + key).get("/api/tasks").then(), 401,
                    "invalid-credentials", "/api/tasks")
                    .header("WWW-Authenticate", INVALID_TOKEN)
                    .body("detail", equalTo("the API key is not one this service accepts (unknown, or revoked)"))
                    .extract().asString();
            refused(given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON)
                    .body(move(null, 0)).put("/api/tasks/sec-unknown/aliases/champion").then(), 401,
                    "invalid-credentials", "/api/tasks/sec-unknown/aliases/champion");
        } finally {
            root.removeHandler(capture);
            for (int i = 0; i < verbose.size(); i++) {
                verbose.get(i).setLevel(before.get(i));
            }
        }

        assertThat(logged).extracting(LogRecord::getMessage).contains("capture check");
        assertThat(body).doesNotContain(key).doesNotContain(key.substring(3));
        assertThat(logged).as("log records during the requests").allSatisfy(record -> {
            StringBuilder text = new StringBuilder(String.valueOf(record.getMessage()))
                    .append(Arrays.toString(record.getParameters()));
            for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
                text.append(' ').append(t);
            }
            assertThat(text.toString()).doesNotContain(key.substring(3));
        });
    }

    @Test
    void aJwtOfTheIssuerIsAcceptedWithTheRolesOfItsGroups() {
        putVersion("sec-jwt", "v1");
        String path = "/api/tasks/sec-jwt/aliases/champion";

        withToken(token("reader@example.test", "read")).get("/api/tasks/sec-jwt/versions").then().statusCode(200);
        refused(withToken(token("reader@example.test", "read")).contentType(ContentType.JSON).body(move("v1", 0))
                .put(path).then(), 403, "forbidden", path)
                .body("detail", containsString("'reader@example.test' (roles [read])"));
        withToken(token("alice@example.test", "admin")).contentType(ContentType.JSON).body(move("v1", 0)).put(path)
                .then().statusCode(200).body("updatedBy", equalTo("alice@example.test"));
        // an identity provider's own group name, mapped to a role by configuration
        withToken(token("bob@example.test", JwtKeysResource.MAPPED_GROUP)).contentType(ContentType.JSON)
                .body(move(null, 1)).put(path).then().statusCode(200).body("updatedBy", equalTo("bob@example.test"));

        assertThat(aliases.history("sec-jwt")).extracting(AliasesDocument::updatedBy)
                .containsExactly("alice@example.test", "bob@example.test");
    }

    @Test
    void refusedTokensAndMalformedHeadersAre401Problems() throws Exception {
        Instant now = Instant.now();
        PrivateKey stranger = KeyPairGenerator.getInstance("RSA").generateKeyPair().getPrivate();
        Map<String, String> invalid = Map.of(
                "another issuer", Jwt.issuer("https://elsewhere.test").upn("mallory").groups("admin").sign(),
                "expired", Jwt.issuer(JwtKeysResource.ISSUER).upn("alice").groups("admin")
                        .issuedAt(now.minus(Duration.ofHours(2))).expiresAt(now.minus(Duration.ofHours(1))).sign(),
                "signed by another key", Jwt.issuer(JwtKeysResource.ISSUER).upn("mallory").groups("admin")
                        .sign(stranger),
                "not a JWT", "not.a.jwt",
                "garbage", "%%%");
        invalid.forEach((what, token) -> refused(withToken(token).get("/api/tasks").then(), 401,
                "invalid-credentials", "/api/tasks")
                .header("WWW-Authenticate", INVALID_TOKEN)
                .body("detail", containsString("the bearer token was refused"))
                .body(not(containsString(token))));
        for (String header : List.of("Bearer", "Bearer ", "Basic dGVzdDp0ZXN0", "al_" + "x".repeat(30), "Token abc")) {
            refused(given().header("Authorization", header).get("/api/tasks").then(), 401, "authentication-required",
                    "/api/tasks").header("WWW-Authenticate", CHALLENGE);
        }
    }

    @Test
    void metricsNeedTheReadRoleWhenSoConfigured() {
        refused(given().get("/q/metrics").then(), 401, "authentication-required", "/q/metrics")
                .header("WWW-Authenticate", CHALLENGE);
        refused(TestApiKeys.asPredictor().get("/q/metrics").then(), 403, "forbidden", "/q/metrics");
        refused(given().header("Authorization", "Bearer al_no-such-key-000000000000").get("/q/metrics").then(), 401,
                "invalid-credentials", "/q/metrics");
        TestApiKeys.asReader().get("/q/metrics").then().statusCode(200).body(containsString("adapterloop_"));
        withToken(token("grafana", "read")).get("/q/metrics").then().statusCode(200);
        TestApiKeys.asAdmin().get("/q/metrics").then().statusCode(200);
    }

    private static ValidatableResponse refused(ValidatableResponse response, int status, String type,
                                               String instance) {
        return response.statusCode(status).contentType(PROBLEM_JSON)
                .body("type", equalTo(TYPES + type))
                .body("status", equalTo(status))
                .body("instance", equalTo(instance));
    }

    private static String token(String user, String... groups) {
        return Jwt.issuer(JwtKeysResource.ISSUER).upn(user).groups(Set.of(groups))
                .expiresAt(Instant.now().plus(Duration.ofMinutes(5))).sign();
    }

    private static RequestSpecification withToken(String token) {
        return given().header("Authorization", "Bearer " + token);
    }

    private static String move(String version, long generation) {
        return "{\"version\":" + (version == null ? "null" : "\"" + version + "\"") + ",\"expectedGeneration\":"
                + generation + ",\"reason\":\"security test\"}";
    }

    private List<JsonNode> aliasMovedEvents(String task, int count) throws Exception {
        try (KafkaTestClient kafka = new KafkaTestClient(bootstrapServers)) {
            List<ConsumerRecord<String, String>> records = kafka.readUntil("adapter-promotions",
                    Duration.ofSeconds(30), seen -> seen.stream().filter(r -> isAliasMoved(r, task)).count() >= count);
            List<JsonNode> events = new ArrayList<>();
            for (ConsumerRecord<String, String> record : records) {
                if (isAliasMoved(record, task)) {
                    events.add(JSON.readTree(record.value()));
                }
            }
            return events;
        }
    }

    private static boolean isAliasMoved(ConsumerRecord<String, String> record, String task) {
        return task.equals(record.key())
                && AdapterPromotionEvent.ALIAS_MOVED.equals(KafkaTestClient.header(record, "ce_type"));
    }

    private void putVersion(String task, String version) {
        String prefix = AdapterRegistry.adapterPrefix(task, version);
        store.put(prefix + "adapter_config.json", "{}".getBytes(StandardCharsets.UTF_8), "application/json");
        String manifest = "{\"schemaVersion\":1,\"task\":\"" + task + "\",\"version\":\"" + version + "\""
                + ",\"method\":\"lora\",\"createdAt\":\"2026-01-01T00:00:00Z\",\"durationMillis\":1}";
        store.put(prefix + AdapterManifest.FILE, manifest.getBytes(StandardCharsets.UTF_8), "application/json");
    }
}
