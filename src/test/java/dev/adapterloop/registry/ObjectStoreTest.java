package dev.adapterloop.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.adapterloop.embedded.EmbeddedS3;

/** Every operation against a real S3 server (s3proxy, embedded); each test works under its own key prefix. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ObjectStoreTest {
    private static final String ACCESS_KEY = "test-access";
    private static final String SECRET_KEY = "test-secret-0123456789";
    private static final String BUCKET = "objectstore-test";
    private static final int MIB = 1024 * 1024;

    @TempDir
    static Path serverDir;
    private static EmbeddedS3 s3;
    private static ObjectStore store;

    @TempDir
    Path work;

    @BeforeAll
    static void startServer() {
        s3 = EmbeddedS3.start(EmbeddedS3.Settings.of(serverDir, ACCESS_KEY, SECRET_KEY));
        store = new ObjectStore(settings().withPartSize(5 * MIB));
        store.ensureBucket();
    }

    @AfterAll
    static void stopServer() {
        store.close();
        s3.close();
    }

    @Test
    void putGetStatAndDelete() {
        String key = "datasets/basic/a.jsonl";
        byte[] data = "{\"text\": \"hi\", \"label\": \"ham\"}\n".getBytes(StandardCharsets.UTF_8);
        Instant before = Instant.now().minusSeconds(5);

        String etag = store.put(key, data, "application/x-ndjson");

        assertThat(store.get(key)).isEqualTo(data);
        assertThat(store.exists(key)).isTrue();
        assertThat(store.stat(key)).hasValueSatisfying(info -> {
            assertThat(info.key()).isEqualTo(key);
            assertThat(info.size()).isEqualTo(data.length);
            assertThat(info.etag()).isEqualTo(etag.replace("\"", "")).isNotBlank();
            assertThat(info.lastModified()).isAfter(before);
            assertThat(info.contentType()).isEqualTo("application/x-ndjson");
        });

        store.delete(key);
        assertThat(store.exists(key)).isFalse();
        store.delete(key); // deleting what is gone is not an error
    }

    @Test
    void aMissingKeyHasNoStatAndCannotBeRead() {
        assertThat(store.stat("datasets/missing/none.jsonl")).isEmpty();
        assertThatThrownBy(() -> store.get("datasets/missing/none.jsonl"))
                .isInstanceOfSatisfying(ObjectStoreException.class, e -> {
                    assertThat(e.isRetriable()).isFalse();
                    assertThat(e.status()).contains(404);
                })
                .hasMessageContaining("'datasets/missing/none.jsonl'")
                .hasMessageContaining("no such key");
    }

    @Test
    void listIsRecursiveAndStaysUnderThePrefix() {
        store.put("datasets/list/a.jsonl", new byte[] {1}, null);
        store.put("datasets/list/b/c.jsonl", new byte[] {2}, null);
        store.put("datasets/list/b/d/e.jsonl", new byte[] {3}, null);
        store.put("datasets/listing-elsewhere.jsonl", new byte[] {4}, null);

        assertThat(store.list("datasets/list/"))
                .containsExactly("datasets/list/a.jsonl", "datasets/list/b/c.jsonl", "datasets/list/b/d/e.jsonl");
        assertThat(store.list("datasets/list/b/")).hasSize(2);
        assertThat(store.list("datasets/nothing-here/")).isEmpty();
        assertThat(store.list("")).contains("datasets/list/a.jsonl", "datasets/listing-elsewhere.jsonl");
    }

    @Test
    void sha256IsComputedWhileStreaming() throws Exception {
        byte[] data = random(3 * MIB + 17, 1);
        store.put("datasets/hash/blob.bin", data, null);

        assertThat(store.sha256("datasets/hash/blob.bin")).isEqualTo(sha256(data));
    }

    @Test
    void bigFilesGoUpInPartsAndComeBackWhole() throws Exception {
        Path file = work.resolve("model.safetensors");
        byte[] data = random(12 * MIB + 123, 2);
        Files.write(file, data);

        String etag = store.putFile("models/parts/model.safetensors", file);

        assertThat(etag.replace("\"", "")).as("a multipart ETag ends with -<parts>").endsWith("-3");
        assertThat(store.stat("models/parts/model.safetensors")).hasValueSatisfying(info -> {
            assertThat(info.size()).isEqualTo(data.length);
            assertThat(info.contentType()).isEqualTo("application/octet-stream");
        });
        assertThat(store.sha256("models/parts/model.safetensors")).isEqualTo(sha256(data));

        Path target = work.resolve("downloads/again/model.safetensors");
        store.download("models/parts/model.safetensors", target);
        assertThat(target).hasBinaryContent(data);
        store.download("models/parts/model.safetensors", target); // replaces the file
        assertThat(target).hasSize(data.length);

        try (InputStream in = store.open("models/parts/model.safetensors")) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
    }

    @Test
    void bigByteArraysGoUpInPartsToo() {
        byte[] data = random(11 * MIB, 3);

        String etag = store.put("adapters/parts/adapter_model.safetensors", data, null);

        assertThat(etag.replace("\"", "")).endsWith("-3");
        assertThat(store.get("adapters/parts/adapter_model.safetensors", 11 * MIB)).isEqualTo(data);
    }

    @Test
    void smallFilesGetAContentTypeFromTheirExtension() throws Exception {
        Path file = work.resolve("config.json");
        Files.writeString(file, "{}");

        store.putFile("models/types/config.json", file);

        assertThat(store.stat("models/types/config.json")).get().extracting(ObjectInfo::contentType)
                .isEqualTo("application/json");
    }

    @Test
    void getRefusesObjectsLargerThanTheLimit() {
        store.put("datasets/big/blob.bin", new byte[2000], null);

        assertThatThrownBy(() -> store.get("datasets/big/blob.bin", 1000))
                .isInstanceOfSatisfying(ObjectStoreException.class, e -> assertThat(e.isRetriable()).isFalse())
                .hasMessageContaining("'datasets/big/blob.bin'")
                .hasMessageContaining("it is 2000 bytes, more than the 1000 bytes get() reads into memory")
                .hasMessageContaining("open() or download()");
        try (ObjectStore small = new ObjectStore(settings().withMaxGetBytes(1999))) {
            assertThatThrownBy(() -> small.get("datasets/big/blob.bin")).hasMessageContaining("more than the 1999 bytes");
        }
        assertThat(store.get("datasets/big/blob.bin", 2000)).hasSize(2000);
    }

    @Test
    void aWrongSecretKeyIsFatalAndSaysWhichSettingToCheck() {
        String wrongSecret = "not-the-secret-key";
        try (ObjectStore wrong = ObjectStore.create(s3.endpoint(), ACCESS_KEY, wrongSecret, BUCKET)) {
            assertThatThrownBy(() -> wrong.put("datasets/auth/x.jsonl", new byte[] {1}, null))
                    .isInstanceOfSatisfying(ObjectStoreException.class, e -> {
                        assertThat(e.isRetriable()).isFalse();
                        assertThat(e.status()).contains(403);
                        assertThat(e.errorCode()).contains("SignatureDoesNotMatch");
                    })
                    .hasMessageContaining("cannot put 'datasets/auth/x.jsonl' in bucket 'objectstore-test' at "
                            + s3.endpoint())
                    .hasMessageContaining("403 SignatureDoesNotMatch")
                    .hasMessageContaining("check adapterloop.s3.access-key and adapterloop.s3.secret-key")
                    .message().doesNotContain(wrongSecret);
        }
        assertThat(store.exists("datasets/auth/x.jsonl")).isFalse();
    }

    @Test
    void anUnknownAccessKeyIsFatal() {
        try (ObjectStore wrong = ObjectStore.create(s3.endpoint(), "nobody", SECRET_KEY, BUCKET)) {
            assertThatThrownBy(() -> wrong.stat("datasets/auth/y.jsonl"))
                    .isInstanceOfSatisfying(ObjectStoreException.class, e -> {
                        assertThat(e.isRetriable()).isFalse();
                        assertThat(e.status()).contains(403);
                    });
        }
    }

    /**
     * Retried, and then given up on: with a budget of 4 attempts 10-40 ms apart rather than the default ~30 s
     * (ObjectStoreRetryTest covers waiting out an outage).
     */
    @Test
    void anUnreachableServerIsRetriedAndThenGivenUp() {
        String nowhere = "http://127.0.0.1:" + freePort();
        RetrySettings brief = new RetrySettings(4, Duration.ofMillis(10), Duration.ofMillis(40), Duration.ofSeconds(5));
        try (ObjectStore away = new ObjectStore(ObjectStore.Settings.of(nowhere, ACCESS_KEY, SECRET_KEY, BUCKET)
                .withRetry(brief))) {
            assertThatThrownBy(() -> away.stat("datasets/away/x.jsonl"))
                    .isInstanceOfSatisfying(ObjectStoreException.class, e -> {
                        assertThat(e.isRetriable()).isTrue();
                        assertThat(e.status()).isEmpty();
                    })
                    .hasMessageContaining("cannot stat 'datasets/away/x.jsonl' in bucket 'objectstore-test' at " + nowhere)
                    .hasMessageContaining("Connection refused");
            assertThat(away.retryCount()).as("retries after the first attempt").isEqualTo(brief.maxAttempts() - 1);
        }
    }

    @Test
    void aMissingBucketIsFatalAndEnsureBucketCreatesIt() {
        try (ObjectStore other = ObjectStore.create(s3.endpoint(), ACCESS_KEY, SECRET_KEY, "not-created-yet")) {
            assertThatThrownBy(() -> other.put("datasets/b/x.jsonl", new byte[] {1}, null))
                    .isInstanceOfSatisfying(ObjectStoreException.class, e -> {
                        assertThat(e.isRetriable()).isFalse();
                        assertThat(e.errorCode()).contains("NoSuchBucket");
                    });
            other.ensureBucket();
            other.ensureBucket();
            other.put("datasets/b/x.jsonl", new byte[] {1}, null);
            assertThat(other.get("datasets/b/x.jsonl")).containsExactly(1);
        }
    }

    @Test
    void invalidKeysAreRejectedBeforeAnyRequest() {
        assertThatThrownBy(() -> store.get("datasets/../../etc/passwd"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("object key 'datasets/../../etc/passwd' contains a '..' segment");
        assertThatThrownBy(() -> store.put("s3://other-bucket/x", new byte[0], null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is a URL");
        assertThatThrownBy(() -> store.list("/absolute/"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is an absolute path");
    }

    @Test
    void settingsAreValidatedAndHideTheSecretKey() {
        assertThat(settings().toString()).contains(ACCESS_KEY).doesNotContain(SECRET_KEY);
        assertThatThrownBy(() -> ObjectStore.Settings.of("127.0.0.1:9000", ACCESS_KEY, SECRET_KEY, BUCKET))
                .hasMessageContaining("`endpoint` must be an http(s) URL");
        assertThatThrownBy(() -> ObjectStore.Settings.of(s3.endpoint(), ACCESS_KEY, " ", BUCKET))
                .hasMessage("`secretKey` must not be blank");
        assertThatThrownBy(() -> ObjectStore.Settings.of(s3.endpoint(), ACCESS_KEY, SECRET_KEY, "Bad_Bucket"))
                .hasMessageContaining("`bucket` must be an S3 bucket name");
        assertThatThrownBy(() -> settings().withPartSize(MIB))
                .hasMessageContaining("`partSize` must be within 5242880..");
    }

    private static ObjectStore.Settings settings() {
        return ObjectStore.Settings.of(s3.endpoint(), ACCESS_KEY, SECRET_KEY, BUCKET);
    }

    private static byte[] random(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
