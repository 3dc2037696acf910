package dev.adapterloop.testing;

import dev.adapterloop.embedded.EmbeddedKafka;
import dev.adapterloop.embedded.EmbeddedS3;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Like {@link EmbeddedInfraResource}, but the broker's only client listener is SASL_SSL (SCRAM-SHA-512, a test CA)
 * and the application is configured for it the way an operator would: {@code kafka.security.protocol},
 * {@code kafka.sasl.*}, {@code kafka.ssl.*}. The service signs in as {@value #SERVICE_USER}; tests use
 * {@link #testClient()} as {@value #TEST_USER}.
 */
public class SaslSslInfraResource implements QuarkusTestResourceLifecycleManager {
    public static final String SERVICE_USER = "adapterloop-service";
    public static final String TEST_USER = "tester";
    private static final String SERVICE_PASSWORD = "service-scram-password";
    private static final String TEST_PASSWORD = "tester-scram-password";

    private static EmbeddedKafka kafka;
    private Path dataDir;
    private EmbeddedS3 s3;

    @Override
    public Map<String, String> start() {
        try {
            dataDir = Files.createTempDirectory("adapterloop-test-sasl-ssl-");
            TestCertificates certificates = TestCertificates.create(dataDir.resolve("tls"), "adapterloop-test-ca");
            kafka = EmbeddedKafka.start(EmbeddedKafka.Settings.of(dataDir.resolve("kafka")).withSaslSsl(
                    new EmbeddedKafka.SaslSsl(certificates.serverStore(), certificates.password(),
                            certificates.caPem(), Map.of(SERVICE_USER, SERVICE_PASSWORD, TEST_USER, TEST_PASSWORD))));
            kafka.createTopics("labeled-data", "labeled-data-dlq");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        s3 = EmbeddedS3.start(EmbeddedS3.Settings.of(dataDir.resolve("s3"), "sasl-ssl-test", "sasl-ssl-test-secret"));
        Map<String, String> config = new HashMap<>();
        config.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        kafka.settings().saslSsl().clientSettings(SERVICE_USER, SERVICE_PASSWORD)
                .forEach((key, value) -> config.put("kafka." + key, value.toString()));
        config.put("adapterloop.s3.endpoint", s3.endpoint());
        config.put("adapterloop.s3.access-key", "sasl-ssl-test");
        config.put("adapterloop.s3.secret-key", "sasl-ssl-test-secret");
        config.put(EmbeddedInfraResource.S3_BUCKET, EmbeddedInfraResource.BUCKET);
        return config;
    }

    /** Client settings (bootstrap and security) of the test's own user. */
    public static Map<String, Object> testClient() {
        Map<String, Object> settings = new HashMap<>(kafka.settings().saslSsl().clientSettings(TEST_USER, TEST_PASSWORD));
        settings.put("bootstrap.servers", kafka.bootstrapServers());
        return settings;
    }

    @Override
    public void stop() {
        try {
            if (s3 != null) {
                s3.close();
            }
            if (kafka != null) {
                kafka.close();
            }
        } finally {
            if (dataDir != null && Files.exists(dataDir)) {
                try (Stream<Path> paths = Files.walk(dataDir)) {
                    paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot delete " + dataDir, e);
                }
            }
        }
    }
}
