package dev.adapterloop.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.adapterloop.registry.ObjectStore;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EmbeddedInfrastructureTest {
    @TempDir
    Path dir;

    @Test
    void plansBothServersWhenNoEndpointIsConfigured() {
        EmbeddedInfrastructure.Plan plan = EmbeddedInfrastructure.Plan.from(Map.<String, String>of()::get);

        assertThat(plan.kafka()).hasValue(EmbeddedKafka.Settings.of(Path.of("data", "kafka")));
        assertThat(plan.s3()).hasValueSatisfying(s3 -> {
            assertThat(s3.dataDir()).isEqualTo(Path.of("data", "s3"));
            assertThat(s3.port()).isZero();
            assertThat(s3.accessKey()).isEqualTo(EmbeddedInfrastructure.DEFAULT_ACCESS_KEY);
            assertThat(s3.secretKey()).hasSize(40);
        });
    }

    @Test
    void theNativeExecutablesRefusalNamesOnlyTheEndpointsToConfigure() {
        assertThat(EmbeddedInfrastructure.available()).as("on the JVM").isTrue();

        String both = EmbeddedInfrastructure.unavailableMessage(
                EmbeddedInfrastructure.Plan.from(Map.<String, String>of()::get));
        assertThat(both).contains("no embedded Kafka broker or S3 server", "kafka.bootstrap.servers",
                "KAFKA_BOOTSTRAP_SERVERS", "adapterloop.s3.endpoint", "adapterloop.s3.secret-key");

        String s3Only = EmbeddedInfrastructure.unavailableMessage(EmbeddedInfrastructure.Plan.from(
                Map.of(EmbeddedInfrastructure.KAFKA_BOOTSTRAP_SERVERS, "kafka:9092")::get));
        assertThat(s3Only).contains("adapterloop.s3.endpoint").doesNotContain("set kafka.bootstrap.servers");
    }

    @Test
    void plansNothingForConfiguredEndpoints() {
        EmbeddedInfrastructure.Plan plan = EmbeddedInfrastructure.Plan.from(Map.of(
                EmbeddedInfrastructure.KAFKA_BOOTSTRAP_SERVERS, "kafka:9092",
                EmbeddedInfrastructure.S3_ENDPOINT, "http://minio:9000")::get);

        assertThat(plan.isEmpty()).isTrue();
    }

    @Test
    void blankEndpointsCountAsAbsentAndEmbeddedSettingsAreRead() {
        Map<String, String> config = new HashMap<>();
        config.put(EmbeddedInfrastructure.KAFKA_BOOTSTRAP_SERVERS, "  ");
        config.put(EmbeddedInfrastructure.S3_ENDPOINT, "http://minio:9000");
        config.put(EmbeddedInfrastructure.DATA_DIR, "/var/lib/adapterloop");
        config.put(EmbeddedInfrastructure.KAFKA_PORT, "19092");
        config.put(EmbeddedInfrastructure.KAFKA_PARTITIONS, "6");

        EmbeddedInfrastructure.Plan plan = EmbeddedInfrastructure.Plan.from(config::get);

        assertThat(plan.kafka()).hasValue(new EmbeddedKafka.Settings(Path.of("/var/lib/adapterloop/kafka"), 19092, 6));
        assertThat(plan.s3()).isEmpty();
    }

    @Test
    void configuredS3KeysAreUsedForTheEmbeddedServer() {
        EmbeddedInfrastructure.Plan plan = EmbeddedInfrastructure.Plan.from(Map.of(
                EmbeddedInfrastructure.KAFKA_BOOTSTRAP_SERVERS, "kafka:9092",
                EmbeddedInfrastructure.S3_ACCESS_KEY, "mine",
                EmbeddedInfrastructure.S3_SECRET_KEY, "my-secret")::get);

        assertThat(plan.s3()).hasValue(new EmbeddedS3.Settings(Path.of("data", "s3"), 0, "mine", "my-secret"));
        assertThat(plan.toString()).doesNotContain("my-secret");
    }

    @Test
    void aBadNumberNamesTheProperty() {
        assertThatThrownBy(() -> EmbeddedInfrastructure.Plan.from(Map.of(EmbeddedInfrastructure.KAFKA_PORT, "ninety")::get))
                .hasMessage("`adapterloop.embedded.kafka.port` must be an integer, got 'ninety'");
    }

    @Test
    void startsBothAndReturnsTheirEndpoints() throws Exception {
        Map<String, String> properties;
        try (EmbeddedInfrastructure infra = EmbeddedInfrastructure.start(
                Map.of(EmbeddedInfrastructure.DATA_DIR, dir.toString())::get)) {
            properties = infra.systemProperties();
            assertThat(properties).containsOnlyKeys(EmbeddedInfrastructure.KAFKA_BOOTSTRAP_SERVERS,
                    EmbeddedInfrastructure.S3_ENDPOINT, EmbeddedInfrastructure.S3_ACCESS_KEY,
                    EmbeddedInfrastructure.S3_SECRET_KEY, EmbeddedInfrastructure.STARTED);
            assertThat(properties).containsEntry(EmbeddedInfrastructure.STARTED, "kafka,s3");
            assertThat(infra.kafka()).get().extracting(EmbeddedKafka::dataDir).isEqualTo(dir.resolve("kafka"));
            assertThat(infra.s3()).get().extracting(EmbeddedS3::dataDir).isEqualTo(dir.resolve("s3"));

            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    properties.get(EmbeddedInfrastructure.KAFKA_BOOTSTRAP_SERVERS)))) {
                assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).hasSize(1);
            }
            try (ObjectStore store = ObjectStore.create(properties.get(EmbeddedInfrastructure.S3_ENDPOINT),
                    properties.get(EmbeddedInfrastructure.S3_ACCESS_KEY),
                    properties.get(EmbeddedInfrastructure.S3_SECRET_KEY), "infra")) {
                store.ensureBucket();
                store.put("tasks/spam/aliases.json", "{}".getBytes(StandardCharsets.UTF_8), "application/json");
                assertThat(store.exists("tasks/spam/aliases.json")).isTrue();
            }
        }
        assertThat(dir.resolve("kafka/meta.properties")).exists();
        assertThat(dir.resolve("s3/infra")).isDirectory();
    }

    @Test
    void startsOnlyWhatIsMissing() {
        try (EmbeddedInfrastructure infra = EmbeddedInfrastructure.start(Map.of(
                EmbeddedInfrastructure.DATA_DIR, dir.toString(),
                EmbeddedInfrastructure.KAFKA_BOOTSTRAP_SERVERS, "kafka.example:9092")::get)) {
            assertThat(infra.kafka()).isEmpty();
            assertThat(infra.s3()).isPresent();
            assertThat(infra.systemProperties()).doesNotContainKey(EmbeddedInfrastructure.KAFKA_BOOTSTRAP_SERVERS)
                    .containsKey(EmbeddedInfrastructure.S3_ENDPOINT)
                    .containsEntry(EmbeddedInfrastructure.STARTED, "s3");
        }
    }

    @Test
    void systemConfigFallsBackToTheEnvironmentNaming() {
        System.setProperty("adapterloop.test.only-property", "from-system");
        try {
            assertThat(EmbeddedInfrastructure.systemConfig("adapterloop.test.only-property")).isEqualTo("from-system");
        } finally {
            System.clearProperty("adapterloop.test.only-property");
        }
        assertThat(EmbeddedInfrastructure.systemConfig("path")).isEqualTo(System.getenv("PATH"));
    }
}
