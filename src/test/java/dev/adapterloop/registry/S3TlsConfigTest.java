package dev.adapterloop.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.adapterloop.testing.TestCertificates;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code adapterloop.s3.tls.*} keys as the application reads them ({@link S3Config}), and the check the service
 * runs at start ({@link RegistryProducer#check}): a file that cannot be used stops it naming the key.
 */
class S3TlsConfigTest {

    @TempDir
    static Path dir;
    static TestCertificates certificates;

    @BeforeAll
    static void certificates() throws Exception {
        certificates = TestCertificates.create(dir.resolve("tls"), "adapterloop-test-ca");
    }

    private static S3Config config(Map<String, String> tls) {
        Map<String, String> values = new HashMap<>(Map.of(
                "adapterloop.s3.endpoint", "https://minio:9000",
                "adapterloop.s3.access-key", "app",
                "adapterloop.s3.secret-key", "app-secret"));
        values.putAll(tls);
        // Quarkus' converter reads the mapping's defaults ("3s", "200ms") as Quarkus does
        return new SmallRyeConfigBuilder().withMapping(S3Config.class).withDefaultValues(values)
                .withConverter(java.time.Duration.class, 100, new io.quarkus.runtime.configuration.DurationConverter())
                .build()
                .getConfigMapping(S3Config.class);
    }

    @Test
    void theKeysReachTheTrust() {
        S3Config config = config(Map.of("adapterloop.s3.tls.ca-file", certificates.caPem().toString(),
                "adapterloop.s3.tls.trust-store", certificates.trustStore().toString(),
                "adapterloop.s3.tls.trust-store-password", certificates.password(),
                "adapterloop.s3.tls.trust-store-type", "PKCS12"));
        RegistryProducer.check(config);
        S3Trust trust = RegistryProducer.settings(config).trust();
        assertThat(trust.caFile()).contains(certificates.caPem());
        assertThat(trust.trustStore()).contains(certificates.trustStore());
        assertThat(trust.trustStoreType()).contains("PKCS12");
        assertThat(trust.toString()).doesNotContain(certificates.password());

        assertThat(RegistryProducer.settings(config(Map.of())).trust().isSystem()).isTrue();
        RegistryProducer.check(config(Map.of())); // nothing configured: the JVM's CAs, nothing to read
    }

    @Test
    void whatCannotWorkIsRefusedAtStartNamingTheKey() {
        assertThatThrownBy(() -> RegistryProducer.check(config(Map.of("adapterloop.s3.tls.ca-file",
                dir.resolve("missing.pem").toString())))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("adapterloop.s3.tls.ca-file: ");
        assertThatThrownBy(() -> RegistryProducer.check(config(Map.of("adapterloop.s3.tls.ca-file",
                certificates.serverStore().toString())))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("adapterloop.s3.tls.ca-file: ").hasMessageContaining("not an X.509 certificate");
        assertThatThrownBy(() -> RegistryProducer.check(config(Map.of(
                "adapterloop.s3.tls.trust-store", certificates.trustStore().toString(),
                "adapterloop.s3.tls.trust-store-password", "not-the-password"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("adapterloop.s3.tls.trust-store: ").hasMessageNotContaining("not-the-password");
        assertThatThrownBy(() -> RegistryProducer.check(config(Map.of(
                "adapterloop.s3.tls.trust-store-password", "orphan"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("need adapterloop.s3.tls.trust-store");
        assertThatThrownBy(() -> RegistryProducer.check(config(Map.of("adapterloop.s3.endpoint", "http://minio:9000",
                "adapterloop.s3.tls.ca-file", certificates.caPem().toString()))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("endpoint is not https");
    }
}
