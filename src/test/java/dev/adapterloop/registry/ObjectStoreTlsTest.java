package dev.adapterloop.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.adapterloop.embedded.EmbeddedS3;
import dev.adapterloop.testing.TestCertificates;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bucket client against a real https S3 server (s3proxy with a certificate from a CA made for the test): the CA
 * options make it work; without them, or with another CA, every call fails at once naming the options; a CA file or
 * trust store that cannot be used stops the construction naming its key.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ObjectStoreTlsTest {
    private static final String ACCESS_KEY = "tls-access";
    private static final String SECRET_KEY = "tls-secret-key";

    @TempDir
    static Path dir;
    static TestCertificates certificates;
    static TestCertificates otherCa;
    static EmbeddedS3 s3;

    @BeforeAll
    static void start() throws Exception {
        certificates = TestCertificates.create(dir.resolve("tls"), "adapterloop-test-ca");
        otherCa = TestCertificates.create(dir.resolve("other-tls"), "some-other-ca");
        s3 = EmbeddedS3.start(EmbeddedS3.Settings.of(dir.resolve("s3"), ACCESS_KEY, SECRET_KEY)
                .withTls(new EmbeddedS3.Tls(certificates.serverStore(), certificates.password())));
    }

    @AfterAll
    static void stop() {
        if (s3 != null) {
            s3.close();
        }
    }

    private static ObjectStore store(S3Trust trust) {
        return new ObjectStore(ObjectStore.Settings.of(s3.endpoint(), ACCESS_KEY, SECRET_KEY, "secured")
                .withTrust(trust));
    }

    @Test
    void putsAndGetsOverHttpsWithThePemCa() {
        assertThat(s3.endpoint()).startsWith("https://127.0.0.1:");
        try (ObjectStore store = store(S3Trust.caFile(certificates.caPem()))) {
            store.ensureBucket();
            store.put("greeting.txt", "over TLS".getBytes(StandardCharsets.UTF_8), "text/plain");
            assertThat(new String(store.get("greeting.txt"), StandardCharsets.UTF_8)).isEqualTo("over TLS");
        }
    }

    @Test
    void putsAndGetsOverHttpsWithAPkcs12TrustStore() {
        try (ObjectStore store = store(S3Trust.trustStore(certificates.trustStore(), certificates.password()))) {
            store.ensureBucket();
            store.put("store.txt", "trust store".getBytes(StandardCharsets.UTF_8), "text/plain");
            assertThat(new String(store.get("store.txt"), StandardCharsets.UTF_8)).isEqualTo("trust store");
        }
    }

    @Test
    void withoutTheCaTheCertificateIsRefusedOnceWithTheOptionsNamed() {
        for (S3Trust trust : new S3Trust[] {S3Trust.SYSTEM, S3Trust.caFile(otherCa.caPem())}) {
            try (ObjectStore store = store(trust)) {
                assertThatThrownBy(store::ensureBucket).as(trust.toString())
                        .isInstanceOfSatisfying(ObjectStoreException.class,
                                e -> assertThat(e.isRetriable()).as("the same certificate fails every time").isFalse())
                        .hasMessageContaining("certificate is not trusted")
                        .hasMessageContaining("adapterloop.s3.tls.ca-file");
                assertThat(store.callCount()).as("no retries").isEqualTo(1);
            }
        }
    }

    @Test
    void aCaFileThatCannotBeUsedStopsTheConstructionNamingItsKey() throws Exception {
        Path missing = dir.resolve("no-such-ca.pem");
        assertThatThrownBy(() -> store(S3Trust.caFile(missing))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("adapterloop.s3.tls.ca-file: " + missing + " does not exist or is not a file");

        Path notACertificate = Files.writeString(dir.resolve("not-a-ca.pem"), "-----BEGIN PRIVATE KEY-----\nAAAA\n");
        assertThatThrownBy(() -> store(S3Trust.caFile(notACertificate))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("adapterloop.s3.tls.ca-file: " + notACertificate);

        assertThatThrownBy(() -> store(S3Trust.trustStore(certificates.trustStore(), "wrong-password")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("adapterloop.s3.tls.trust-store: cannot read " + certificates.trustStore())
                .hasMessageNotContaining("wrong-password");

        // A key store is no trust store: its private key entry names no CA.
        assertThatThrownBy(() -> store(S3Trust.trustStore(certificates.serverStore(), certificates.password())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("holds no trusted certificate entry");
    }

    @Test
    void aCaForAPlainHttpEndpointIsRefused() {
        assertThatThrownBy(() -> ObjectStore.Settings.of("http://127.0.0.1:9000", ACCESS_KEY, SECRET_KEY, "secured")
                .withTrust(S3Trust.caFile(certificates.caPem()))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("endpoint is not https");
        assertThat(new S3Trust(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()).isSystem())
                .isTrue();
    }
}
