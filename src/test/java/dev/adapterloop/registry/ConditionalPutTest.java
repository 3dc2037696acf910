package dev.adapterloop.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ObjectStore#putIfAbsent}, {@link ObjectStore#putIfMatch} and {@link ObjectStore#listFolders} against the
 * embedded s3proxy: the conditions hold for writes one after another (their atomicity under concurrent writers is
 * another matter: docs/registry.md).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConditionalPutTest {
    @TempDir
    static Path serverDir;
    private static RegistryS3 s3;

    @BeforeAll
    static void start() {
        s3 = new RegistryS3(serverDir, "conditional-test");
    }

    @AfterAll
    static void stop() {
        s3.close();
    }

    @Test
    void putIfAbsentCreatesOnceAndLeavesTheFirstContent() {
        String key = "tasks/a/once.json";
        assertThat(s3.store.putIfAbsent(key, bytes("first"), "application/json")).isTrue();
        assertThat(s3.store.putIfAbsent(key, bytes("second"), "application/json")).isFalse();
        assertThat(s3.store.get(key)).isEqualTo(bytes("first"));
    }

    @Test
    void putIfMatchReplacesOnlyTheVersionItWasGiven() {
        String key = "tasks/b/cas.json";
        String first = s3.store.put(key, bytes("v1"), "application/json");

        assertThat(s3.store.putIfMatch(key, bytes("v2"), "application/json", "0123456789abcdef0123456789abcdef"))
                .isFalse();
        assertThat(s3.store.get(key)).isEqualTo(bytes("v1"));

        assertThat(s3.store.putIfMatch(key, bytes("v2"), "application/json", first)).isTrue();
        assertThat(s3.store.get(key)).isEqualTo(bytes("v2"));

        assertThat(s3.store.putIfMatch(key, bytes("v3"), "application/json", first)).as("stale ETag").isFalse();
        assertThat(s3.store.get(key)).isEqualTo(bytes("v2"));
    }

    @Test
    void putIfMatchOnAMissingKeyIsAFailedCondition() {
        assertThat(s3.store.putIfMatch("tasks/c/none.json", bytes("x"), null, "0123456789abcdef0123456789abcdef"))
                .isFalse();
        assertThat(s3.store.exists("tasks/c/none.json")).isFalse();
    }

    @Test
    void conditionalWritesRefuseBadKeysAndMultipartSizes() {
        assertThatThrownBy(() -> s3.store.putIfAbsent("tasks/../x", bytes("x"), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'..'");
        byte[] big = new byte[(int) ObjectStore.DEFAULT_PART_SIZE + 1];
        assertThatThrownBy(() -> s3.store.putIfAbsent("tasks/d/big", big, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("more than one part");
    }

    @Test
    void listFoldersNamesTheDirectChildrenOnly() {
        s3.store.put("folders/x/1/a", bytes("a"), null);
        s3.store.put("folders/x/1/b", bytes("b"), null);
        s3.store.put("folders/y/2", bytes("c"), null);
        s3.store.put("folders/top-level-file", bytes("d"), null);

        assertThat(s3.store.listFolders("folders/")).containsExactly("x", "y");
        assertThat(s3.store.listFolders("folders/x/")).containsExactly("1");
        assertThat(s3.store.listFolders("nothing-here/")).isEmpty();
        assertThatThrownBy(() -> s3.store.listFolders("folders"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must end with '/'");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
