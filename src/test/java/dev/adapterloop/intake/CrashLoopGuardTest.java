package dev.adapterloop.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.adapterloop.embedded.EmbeddedS3;
import dev.adapterloop.registry.ObjectStore;
import dev.adapterloop.registry.PipelineRecords;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash-loop guard on a real S3 server. A new guard stands for a new life of the process: a start without an end
 * is what a process that died on the event leaves behind.
 */
class CrashLoopGuardTest {

    private static EmbeddedS3 s3;
    private static ObjectStore store;
    private PipelineRecords records;

    @BeforeAll
    static void start(@TempDir Path dir) {
        s3 = EmbeddedS3.start(EmbeddedS3.Settings.of(dir, "crash", "crash-secret-0123456789"));
        store = ObjectStore.create(s3.endpoint(), "crash", "crash-secret-0123456789", "crash-test");
        store.ensureBucket();
    }

    @AfterAll
    static void stop() {
        store.close();
        s3.close();
    }

    @BeforeEach
    void emptyBucket() {
        store.list("").forEach(store::delete);
        records = new PipelineRecords(store);
    }

    @Test
    void anEventThatKilledTheProcessCapTimesIsRefusedAtTheNextStart() {
        for (int life = 1; life <= 3; life++) {
            assertThat(new CrashLoopGuard(records, 3).start("labeled-data", 2, 41, "e-big"))
                    .as("start %d", life).isEmpty();
        }
        Optional<String> fourth = new CrashLoopGuard(records, 3).start("labeled-data", 2, 41, "e-big");
        assertThat(fourth).hasValueSatisfying(reason -> assertThat(reason).startsWith("crash-loop: ")
                .contains("labeled-data-2@41", "e-big", "3 times", "adapterloop.intake.crash-loop-cap=3"));
    }

    @Test
    void anEventThatEndsLeavesNoCountAndTheNextStartsFromZero() {
        CrashLoopGuard guard = new CrashLoopGuard(records, 1);
        assertThat(guard.start("labeled-data", 0, 7, "e-1")).isEmpty();
        guard.ended("labeled-data", 0, 7);
        assertThat(store.exists(PipelineRecords.intakeAttemptKey("labeled-data", 0, 7))).isFalse();
        assertThat(guard.start("labeled-data", 0, 7, "e-1")).as("counted again from zero").isEmpty();
    }

    @Test
    void aLeftoverCountOfAnotherEventAtTheSameOffsetDoesNotCount() {
        CrashLoopGuard guard = new CrashLoopGuard(records, 1);
        assertThat(guard.start("labeled-data", 0, 7, "e-before-the-topic-was-recreated")).isEmpty();
        assertThat(guard.start("labeled-data", 0, 7, "e-now")).isEmpty();
    }

    @Test
    void aCapBelowOneIsRefused() {
        assertThatThrownBy(() -> new CrashLoopGuard(records, 0))
                .hasMessage("adapterloop.intake.crash-loop-cap must be >= 1, got 0");
    }
}
