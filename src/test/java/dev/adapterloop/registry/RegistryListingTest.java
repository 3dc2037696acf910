package dev.adapterloop.registry;

import static dev.adapterloop.registry.RegistryS3.versions;
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

/** Listing tasks and versions, and walking lineage, over a real S3 server. Each test has a bucket of its own. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RegistryListingTest {
    @TempDir
    static Path serverDir;
    private static RegistryS3 s3;

    @BeforeAll
    static void start() {
        s3 = new RegistryS3(serverDir, "listing-test");
    }

    @AfterAll
    static void stop() {
        s3.close();
    }

    @Test
    void tasksComeFromAdaptersAndAliasesButNotFromOtherFolders() {
        s3.putVersion("tasks-a", "v1", null, true);
        s3.store.put("tasks/tasks-b/aliases.json", "{}".getBytes(StandardCharsets.UTF_8), null);
        s3.store.put("datasets/only-data/x.jsonl", "{}".getBytes(StandardCharsets.UTF_8), null);
        s3.store.put("adapters/bad name!/v1/manifest.json", "{}".getBytes(StandardCharsets.UTF_8), null);

        assertThat(s3.registry.listTasks()).contains("tasks-a", "tasks-b")
                .doesNotContain("only-data", "bad name!");
    }

    @Test
    void onlyVersionsWithAManifestAreListed() {
        s3.putVersion("versions", "b-complete", null, true);
        s3.putVersion("versions", "a-complete", null, true);
        s3.putVersion("versions", "uploading", null, false);
        s3.store.put("adapters/versions/nested/deeper/manifest.json", "{}".getBytes(StandardCharsets.UTF_8), null);

        assertThat(s3.registry.listVersions("versions")).containsExactly("a-complete", "b-complete");
        assertThat(s3.registry.listVersions("no-such-task")).isEmpty();
        assertThatThrownBy(() -> s3.registry.listVersions(".."))
                .isInstanceOf(InvalidNameException.class).hasMessageContaining("task must be");
    }

    @Test
    void lineageFollowsParentsToTheRoot() throws Exception {
        s3.putVersion("lineage", "v1", null, true);
        s3.putVersion("lineage", "v2", "v1", true);
        s3.putVersion("lineage", "v3", "v2", true);

        Lineage lineage = s3.registry.lineage("lineage", "v3").orElseThrow();

        assertThat(versions(lineage.chain())).containsExactly("v3", "v2", "v1");
        assertThat(lineage.complete()).isTrue();
        assertThat(s3.registry.lineage("lineage", "v9")).isEmpty();
    }

    @Test
    void aMissingParentEndsTheLineageWithAReason() throws Exception {
        s3.putVersion("orphan", "v2", "v1", true);
        s3.putVersion("orphan", "v1", null, false); // its upload never finished

        Lineage lineage = s3.registry.lineage("orphan", "v2").orElseThrow();

        assertThat(versions(lineage.chain())).containsExactly("v2");
        assertThat(lineage.problem()).hasValue(
                "parent version 'v1' of 'v2' has no manifest (adapters/orphan/v1/manifest.json)");
    }

    @Test
    void aLoopInCorruptManifestsIsDetected() throws Exception {
        s3.putVersion("loop", "a", "b", true);
        s3.putVersion("loop", "b", "c", true);
        s3.putVersion("loop", "c", "a", true);

        Lineage lineage = s3.registry.lineage("loop", "a").orElseThrow();

        assertThat(versions(lineage.chain())).containsExactly("a", "b", "c");
        assertThat(lineage.problem()).hasValueSatisfying(p -> assertThat(p).contains("loops").contains("'c' names 'a'"));
    }

    @Test
    void anInvalidOrCorruptParentEndsTheLineageWithAReason() throws Exception {
        s3.putVersion("corrupt", "child", "../escape", true);
        assertThat(s3.registry.lineage("corrupt", "child").orElseThrow().problem())
                .hasValue("version 'child' names an invalid parent version '../escape'");

        s3.putVersion("corrupt", "kid", "garbled", true);
        s3.store.put("adapters/corrupt/garbled/manifest.json", "not json".getBytes(StandardCharsets.UTF_8), null);
        assertThat(s3.registry.lineage("corrupt", "kid").orElseThrow().problem()).hasValueSatisfying(
                p -> assertThat(p).startsWith("adapters/corrupt/garbled/manifest.json is corrupt"));
    }
}
