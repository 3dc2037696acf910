package dev.adapterloop.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.adapterloop.registry.ObjectStore;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EmbeddedS3Test {
    private static final String ACCESS_KEY = "embedded-access";
    private static final String SECRET_KEY = "embedded-secret-0123456789";

    @TempDir
    Path dir;

    @Test
    void servesS3OnLoopbackWithSignedRequests() throws Exception {
        try (EmbeddedS3 s3 = EmbeddedS3.start(EmbeddedS3.Settings.of(dir, ACCESS_KEY, SECRET_KEY));
                ObjectStore store = ObjectStore.create(s3.endpoint(), ACCESS_KEY, SECRET_KEY, "signed")) {
            assertThat(s3.endpoint()).matches("http://127\\.0\\.0\\.1:\\d+");
            store.ensureBucket();
            store.put("datasets/t/a.jsonl", "{}".getBytes(StandardCharsets.UTF_8), "application/x-ndjson");

            HttpResponse<String> anonymous = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(s3.endpoint() + "/signed/datasets/t/a.jsonl")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).isEqualTo(403);
        }
    }

    @Test
    void restartOnTheSameDirectoryKeepsBucketsAndObjects() {
        byte[] data = "kept across restarts".getBytes(StandardCharsets.UTF_8);
        try (EmbeddedS3 s3 = EmbeddedS3.start(EmbeddedS3.Settings.of(dir, ACCESS_KEY, SECRET_KEY));
                ObjectStore store = ObjectStore.create(s3.endpoint(), ACCESS_KEY, SECRET_KEY, "kept")) {
            store.ensureBucket();
            store.put("adapters/spam/v1/manifest.json", data, "application/json");
        }

        try (EmbeddedS3 s3 = EmbeddedS3.start(EmbeddedS3.Settings.of(dir, ACCESS_KEY, SECRET_KEY));
                ObjectStore store = ObjectStore.create(s3.endpoint(), ACCESS_KEY, SECRET_KEY, "kept")) {
            assertThat(store.list("adapters/")).containsExactly("adapters/spam/v1/manifest.json");
            assertThat(store.get("adapters/spam/v1/manifest.json")).isEqualTo(data);
            assertThat(store.stat("adapters/spam/v1/manifest.json")).get()
                    .satisfies(info -> assertThat(info.contentType()).isEqualTo("application/json"));
        }
    }

    @Test
    void aFixedPortIsUsedAndATakenOneIsReported() {
        int port = FreePorts.resolve(0);
        try (EmbeddedS3 s3 = EmbeddedS3.start(EmbeddedS3.Settings.of(dir.resolve("a"), ACCESS_KEY, SECRET_KEY)
                .withPort(port))) {
            assertThat(s3.endpoint()).isEqualTo("http://127.0.0.1:" + port);
            assertThatThrownBy(() -> EmbeddedS3.start(EmbeddedS3.Settings.of(dir.resolve("b"), ACCESS_KEY, SECRET_KEY)
                    .withPort(port)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("embedded S3 cannot listen on 127.0.0.1:" + port + ": ")
                    .hasMessageEndingWith("(choose another port, or 0 for any free one)");
        }
    }

    @Test
    void settingsHideTheSecretKeyAndRejectBlankKeys() {
        assertThat(EmbeddedS3.Settings.of(dir, ACCESS_KEY, SECRET_KEY).toString())
                .contains(ACCESS_KEY).doesNotContain(SECRET_KEY);
        assertThatThrownBy(() -> EmbeddedS3.Settings.of(dir, "", SECRET_KEY)).hasMessage("`accessKey` must not be blank");
        assertThatThrownBy(() -> EmbeddedS3.Settings.of(dir, ACCESS_KEY, null)).hasMessage("`secretKey` must not be blank");
    }
}
