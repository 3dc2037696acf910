package dev.adapterloop.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.adapterloop.embedded.EmbeddedS3;

/**
 * Retries against a real S3 server (s3proxy) that goes away: stopped for a few seconds and started again on the same
 * port and data, or stopped for good. {@link ObjectStore#retryCount()} counts the retries.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ObjectStoreRetryTest {
    private static final String ACCESS_KEY = "retry-access";
    private static final String SECRET_KEY = "retry-secret-0123456789";
    private static final String BUCKET = "retry-test";
    /** Comfortably longer than the outage: waits of 0.1, 0.2, 0.4, 0.8, then 1 s each, for up to 30 s. */
    private static final RetrySettings PATIENT = new RetrySettings(40, Duration.ofMillis(100), Duration.ofSeconds(1),
            Duration.ofSeconds(30));
    private static final long OUTAGE_MILLIS = 2_500;

    @TempDir
    Path dir;
    private final AtomicReference<EmbeddedS3> server = new AtomicReference<>();

    @BeforeEach
    void startServer() {
        server.set(EmbeddedS3.start(EmbeddedS3.Settings.of(dir, ACCESS_KEY, SECRET_KEY)));
    }

    @AfterEach
    void stopServer() {
        server.get().close();
    }

    @Test
    void operationsDuringARestartSucceedOnceTheServerIsBack() throws Exception {
        byte[] before = bytes("written before the outage");
        byte[] during = bytes("written during the outage");
        try (ObjectStore store = store(PATIENT)) {
            store.ensureBucket();
            store.put("datasets/t/before.jsonl", before, null);
            assertThat(store.retryCount()).isZero();

            CompletableFuture<Void> restarted = stopForAWhile();
            store.put("datasets/t/during.jsonl", during, null); // the server is down: refused until it is back
            try (InputStream in = store.open("datasets/t/before.jsonl")) {
                assertThat(in.readAllBytes()).isEqualTo(before);
            }
            assertThat(store.get("datasets/t/during.jsonl")).isEqualTo(during);
            assertThat(store.list("datasets/t/")).containsExactly("datasets/t/before.jsonl", "datasets/t/during.jsonl");
            restarted.get(30, TimeUnit.SECONDS);

            assertThat(store.retryCount()).isPositive();
        }
    }

    @Test
    void aPermanentOutageFailsWithARetriableErrorOnceTheAttemptsAreSpent() {
        RetrySettings fourAttempts = new RetrySettings(4, Duration.ofMillis(50), Duration.ofMillis(200),
                Duration.ofSeconds(20));
        try (ObjectStore store = store(fourAttempts)) {
            store.ensureBucket();
            server.get().close();

            assertThatThrownBy(() -> store.put("datasets/t/lost.jsonl", bytes("x"), null))
                    .isInstanceOfSatisfying(ObjectStoreException.class, e -> {
                        assertThat(e.isRetriable()).isTrue();
                        assertThat(e.status()).isEmpty();
                    })
                    .hasMessageStartingWith("cannot put 'datasets/t/lost.jsonl' in bucket '" + BUCKET + "' at "
                            + server.get().endpoint() + ": ")
                    .hasMessageMatching("(?s).* \\(gave up after 4 attempts in \\d+\\.\\d s\\)");
            assertThat(store.retryCount()).isEqualTo(3);
        }
    }

    @Test
    void theTimeBudgetEndsRetryingBeforeTheAttemptsDo() {
        RetrySettings shortBudget = new RetrySettings(1_000, Duration.ofMillis(50), Duration.ofMillis(100),
                Duration.ofMillis(600));
        try (ObjectStore store = store(shortBudget)) {
            store.ensureBucket();
            server.get().close();

            assertThatThrownBy(() -> store.stat("datasets/t/a.jsonl"))
                    .isInstanceOfSatisfying(ObjectStoreException.class, e -> assertThat(e.isRetriable()).isTrue())
                    .hasMessageContaining("(gave up after ");
            assertThat(store.retryCount()).isPositive().isLessThan(999);
        }
    }

    @Test
    void aMissingKeyIsNotRetried() {
        try (ObjectStore store = store(PATIENT)) {
            store.ensureBucket();

            assertThatThrownBy(() -> store.open("datasets/t/missing.jsonl"))
                    .isInstanceOfSatisfying(ObjectStoreException.class, e -> {
                        assertThat(e.isRetriable()).isFalse();
                        assertThat(e.status()).contains(404);
                        assertThat(e.errorCode()).contains("NoSuchKey");
                    })
                    .message().doesNotContain("gave up after");
            assertThat(store.retryCount()).isZero();
        }
    }

    @Test
    void wrongCredentialsAreNotRetried() {
        try (ObjectStore good = store(PATIENT)) {
            good.ensureBucket();
        }
        ObjectStore.Settings wrongSecret = ObjectStore.Settings
                .of(server.get().endpoint(), ACCESS_KEY, "not-the-secret-key", BUCKET).withRetry(PATIENT);
        try (ObjectStore store = new ObjectStore(wrongSecret)) {
            assertThatThrownBy(() -> store.put("datasets/t/a.jsonl", bytes("x"), null))
                    .isInstanceOfSatisfying(ObjectStoreException.class, e -> {
                        assertThat(e.isRetriable()).isFalse();
                        assertThat(e.status()).contains(403);
                    })
                    .message().doesNotContain("not-the-secret-key");
            assertThat(store.retryCount()).isZero();
        }
    }

    @Test
    void withoutRetriesTheFirstFailureIsThrown() {
        try (ObjectStore store = store(RetrySettings.NONE)) {
            store.ensureBucket();
            server.get().close();

            assertThatThrownBy(store::ensureBucket)
                    .isInstanceOfSatisfying(ObjectStoreException.class, e -> assertThat(e.isRetriable()).isTrue())
                    .message().doesNotContain("gave up after");
            assertThat(store.retryCount()).isZero();
        }
    }

    @Test
    void retrySettingsAreValidated() {
        assertThatThrownBy(() -> new RetrySettings(0, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofSeconds(1)))
                .hasMessage("`maxAttempts` must be >= 1 (1: no retry), got 0");
        assertThatThrownBy(() -> new RetrySettings(3, Duration.ZERO, Duration.ofMillis(1), Duration.ofSeconds(1)))
                .hasMessage("`initialBackoff` must be > 0, got PT0S");
        assertThatThrownBy(() -> new RetrySettings(3, Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(9)))
                .hasMessage("`maxBackoff` must be >= `initialBackoff` (PT2S), got PT1S");
        assertThatThrownBy(() -> new RetrySettings(3, Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(2)))
                .hasMessage("`maxDuration` must be > `initialBackoff` (PT2S), got PT2S");
        assertThat(ObjectStore.Settings.of("http://127.0.0.1:9000", "a", "secret-key", BUCKET).retry())
                .isEqualTo(RetrySettings.DEFAULT);
    }

    /** Stops the server now and starts it again, on the same port and data, in {@value #OUTAGE_MILLIS} ms. */
    private CompletableFuture<Void> stopForAWhile() {
        EmbeddedS3 running = server.get();
        running.close();
        return CompletableFuture.runAsync(() -> server.set(EmbeddedS3.start(running.settings())),
                CompletableFuture.delayedExecutor(OUTAGE_MILLIS, TimeUnit.MILLISECONDS));
    }

    private ObjectStore store(RetrySettings retry) {
        return new ObjectStore(ObjectStore.Settings.of(server.get().endpoint(), ACCESS_KEY, SECRET_KEY, BUCKET)
                .withRetry(retry));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
