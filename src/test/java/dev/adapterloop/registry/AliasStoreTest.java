package dev.adapterloop.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Compare-and-set on a task's aliases over a real S3 server; every test uses a task of its own. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AliasStoreTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);

    @TempDir
    static Path serverDir;
    private static RegistryS3 s3;
    private static AliasStore aliases;

    @BeforeAll
    static void start() {
        s3 = new RegistryS3(serverDir, "alias-test");
        aliases = new AliasStore(s3.registry, CLOCK);
    }

    @AfterAll
    static void stop() {
        s3.close();
    }

    @Test
    void aTaskWithoutAliasesIsGenerationZero() {
        AliasSnapshot snapshot = aliases.read("fresh");
        assertThat(snapshot.generation()).isZero();
        assertThat(snapshot.aliases()).isEmpty();
        assertThat(aliases.history("fresh")).isEmpty();
    }

    @Test
    void setMoveAndClearAnAliasEachMakeOneGeneration() {
        s3.putVersion("moves", "v1", null, true);
        s3.putVersion("moves", "v2", "v1", true);

        assertThat(aliases.compareAndSet(aliases.read("moves"), "champion", "v1", "first", "system:gate")).isTrue();
        assertThat(aliases.compareAndSet(aliases.read("moves"), "challenger", "v2", "candidate", "system:gate"))
                .isTrue();
        assertThat(aliases.compareAndSet(aliases.read("moves"), "champion", "v2", "won the A/B test",
                "system:ab-test")).isTrue();
        assertThat(aliases.compareAndSet(aliases.read("moves"), "challenger", null, "promoted", "ops-alice")).isTrue();

        AliasSnapshot now = aliases.read("moves");
        assertThat(now.generation()).isEqualTo(4);
        assertThat(now.aliases()).containsOnlyKeys("champion");
        assertThat(now.alias("champion")).contains(new AliasTarget("v2", "2026-03-01T12:00:00Z", "won the A/B test"));
        assertThat(aliases.history("moves")).extracting(AliasesDocument::change).containsExactly(
                new AliasChange("champion", null, "v1", "first"),
                new AliasChange("challenger", null, "v2", "candidate"),
                new AliasChange("champion", "v1", "v2", "won the A/B test"),
                new AliasChange("challenger", "v2", null, "promoted"));
        assertThat(aliases.history("moves")).extracting(AliasesDocument::updatedBy)
                .containsExactly("system:gate", "system:gate", "system:ab-test", "ops-alice");
        assertThat(now.updatedBy()).isEqualTo("ops-alice");
        assertThat(aliases.historyEntry("moves", 3)).get().extracting(AliasesDocument::updatedBy)
                .isEqualTo("system:ab-test");
        assertThat(s3.store.list("tasks/moves/alias-history/")).containsExactly(
                "tasks/moves/alias-history/000000000001.json", "tasks/moves/alias-history/000000000002.json",
                "tasks/moves/alias-history/000000000003.json", "tasks/moves/alias-history/000000000004.json");
    }

    @Test
    void aStaleSnapshotLosesAndChangesNothing() {
        s3.putVersion("stale", "v1", null, true);
        s3.putVersion("stale", "v2", null, true);
        AliasSnapshot old = aliases.read("stale");
        assertThat(aliases.compareAndSet(old, "champion", "v1", "first", "test")).isTrue();

        assertThat(aliases.compareAndSet(old, "champion", "v2", "from an old read", "test")).isFalse();
        assertThat(aliases.compareAndSet("stale", 7, "champion", "v2", "invented generation", "test")).isFalse();

        assertThat(aliases.read("stale").alias("champion")).hasValueSatisfying(t -> assertThat(t.version()).isEqualTo("v1"));
        assertThat(aliases.history("stale")).hasSize(1);
    }

    @Test
    void racingWritersFromOneSnapshotHaveExactlyOneWinnerPerGeneration() throws Exception {
        String task = "race";
        int writers = 8;
        int rounds = 6;
        for (int i = 0; i < writers; i++) {
            s3.putVersion(task, "v" + i, null, true);
        }
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            for (int round = 0; round < rounds; round++) {
                AliasSnapshot snapshot = aliases.read(task);
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Boolean>> results = new ArrayList<>();
                for (int i = 0; i < writers; i++) {
                    String version = "v" + i;
                    // a store of its own per writer, as separate services would have: only the JVM-wide lock is shared
                    AliasStore own = new AliasStore(s3.registry, CLOCK);
                    Callable<Boolean> write = () -> {
                        go.await();
                        return own.compareAndSet(snapshot, "champion", version, "round", "test");
                    };
                    results.add(pool.submit(write));
                }
                go.countDown();
                long winners = 0;
                for (Future<Boolean> result : results) {
                    winners += result.get(60, TimeUnit.SECONDS) ? 1 : 0;
                }
                assertThat(winners).as("winners in round %d", round).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
        List<AliasesDocument> history = aliases.history(task);
        assertThat(history).extracting(AliasesDocument::generation)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, rounds).boxed().toList());
        assertThat(aliases.read(task).generation()).isEqualTo(rounds);
        assertThat(aliases.read(task).aliases()).isEqualTo(history.getLast().aliases());
    }

    @Test
    void anAliasCannotPointAtAVersionWithoutManifest() {
        s3.putVersion("incomplete", "half", null, false); // payload uploaded, manifest not yet
        AliasSnapshot snapshot = aliases.read("incomplete");

        assertThatThrownBy(() -> aliases.compareAndSet(snapshot, "champion", "half", "too early", "test"))
                .isInstanceOf(IncompleteVersionException.class)
                .hasMessageContaining("adapters/incomplete/half/manifest.json does not exist");
        assertThatThrownBy(() -> aliases.compareAndSet(snapshot, "champion", "never-trained", "typo", "test"))
                .isInstanceOf(IncompleteVersionException.class)
                .hasMessageContaining("'never-trained'");
        assertThat(aliases.read("incomplete").generation()).isZero();
        assertThat(s3.store.list("tasks/incomplete/")).isEmpty();
    }

    @Test
    void badNamesAreRefusedByName() {
        AliasSnapshot snapshot = aliases.read("names");
        assertThatThrownBy(() -> aliases.compareAndSet(snapshot, "Champion", null, "", "test"))
                .isInstanceOf(InvalidNameException.class).hasMessageContaining("alias must be").hasMessageContaining("'Champion'");
        assertThatThrownBy(() -> aliases.compareAndSet(snapshot, "../x", null, "", "test"))
                .isInstanceOf(InvalidNameException.class).hasMessageContaining("alias");
        assertThatThrownBy(() -> aliases.compareAndSet("names", 0, "champion", "../../models/x", "", "test"))
                .isInstanceOf(InvalidNameException.class).hasMessageContaining("adapter version");
        assertThatThrownBy(() -> aliases.read(".."))
                .isInstanceOf(InvalidNameException.class).hasMessageContaining("task");
        assertThatThrownBy(() -> aliases.compareAndSet("names", 0, "champion", null, "", " "))
                .hasMessageContaining("principal must be");
        assertThatThrownBy(() -> aliases.compareAndSet("names", 0, "champion", null, "", null))
                .hasMessageContaining("principal must be");
        assertThatThrownBy(() -> aliases.compareAndSet("names", 0, "champion", null, "x".repeat(1001), "test"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reason must be at most 1000");
    }

    @Test
    void corruptAliasesNameTheKey() {
        s3.store.put("tasks/garbled/aliases.json", "champion=v1".getBytes(StandardCharsets.UTF_8), null);
        assertThatThrownBy(() -> aliases.read("garbled"))
                .isInstanceOf(CorruptObjectException.class)
                .hasMessageStartingWith("tasks/garbled/aliases.json is corrupt: not an aliases document");

        s3.store.put("tasks/schema/aliases.json", "{\"hello\": \"world\"}".getBytes(StandardCharsets.UTF_8), null);
        assertThatThrownBy(() -> aliases.read("schema"))
                .isInstanceOf(CorruptObjectException.class)
                .hasMessage("tasks/schema/aliases.json is corrupt: schemaVersion is 0; this build reads 1");

        s3.store.put("tasks/other/aliases.json", ("{\"schemaVersion\":1,\"task\":\"spam\",\"generation\":1,"
                + "\"aliases\":{}}").getBytes(StandardCharsets.UTF_8), null);
        assertThatThrownBy(() -> aliases.read("other"))
                .isInstanceOf(CorruptObjectException.class)
                .hasMessage("tasks/other/aliases.json is corrupt: it names task 'spam', not 'other'");

        s3.store.put("tasks/target/aliases.json", ("{\"schemaVersion\":1,\"task\":\"target\",\"generation\":1,"
                + "\"aliases\":{\"champion\":{\"version\":\"../x\"}}}").getBytes(StandardCharsets.UTF_8), null);
        assertThatThrownBy(() -> aliases.read("target"))
                .isInstanceOf(CorruptObjectException.class)
                .hasMessageContaining("tasks/target/aliases.json is corrupt").hasMessageContaining("adapter version");
    }

    /**
     * Entries written before principals were recorded read with none; the principal is a top-level member, where
     * every reader of schema 1 (older builds too) ignores members it does not know.
     */
    @Test
    void historyWrittenBeforePrincipalsStillReads() {
        s3.putVersion("legacy", "v1", null, true);
        String older = """
                {"schemaVersion": 1, "task": "legacy", "generation": 1,
                 "aliases": {"champion": {"version": "v1", "since": "2026-01-01T00:00:00Z", "reason": "old"}},
                 "updatedAt": "2026-01-01T00:00:00Z", "writeId": "w1",
                 "change": {"alias": "champion", "from": null, "to": "v1", "reason": "old"}}""";
        s3.store.put(AliasStore.historyKey("legacy", 1), older.getBytes(StandardCharsets.UTF_8), "application/json");

        AliasSnapshot read = aliases.read("legacy");
        assertThat(read.generation()).isEqualTo(1);
        assertThat(read.updatedBy()).isNull();
        assertThat(aliases.history("legacy")).extracting(AliasesDocument::updatedBy).containsExactly((String) null);

        assertThat(aliases.compareAndSet(read, "champion", null, "retired", "ops-bob")).isTrue();
        String written = new String(s3.store.get(AliasStore.historyKey("legacy", 2)), StandardCharsets.UTF_8);
        assertThat(written).contains("\"updatedBy\" : \"ops-bob\"");
        assertThat(AliasesCodec.read("k", written.getBytes(StandardCharsets.UTF_8), "legacy", 2).change().to())
                .isNull();
    }

    @Test
    void aCommitWhoseCopyWasNotWrittenIsRolledForwardByTheNextRead() {
        s3.putVersion("crash", "v1", null, true);
        s3.putVersion("crash", "v2", null, true);
        assertThat(aliases.compareAndSet(aliases.read("crash"), "champion", "v1", "first", "test")).isTrue();
        // A writer that died after its commit (history entry 2) and before copying it to aliases.json:
        AliasesDocument one = aliases.history("crash").getFirst();
        AliasesDocument two = one.next("champion", "v2", "died after commit", "test", "2026-03-01T12:30:00Z",
                "dead-writer");
        s3.store.put(AliasStore.historyKey("crash", 2), AliasesCodec.write(two), "application/json");

        AliasSnapshot read = aliases.read("crash");

        assertThat(read.generation()).isEqualTo(2);
        assertThat(read.alias("champion")).hasValueSatisfying(t -> assertThat(t.version()).isEqualTo("v2"));
        assertThat(AliasesCodec.read("k", s3.store.get(AliasStore.aliasesKey("crash")), "crash", -1).generation())
                .as("aliases.json rolled forward").isEqualTo(2);
        assertThat(aliases.compareAndSet(one.task(), 1, "champion", "v1", "based on generation 1", "test"))
                .isFalse();
        assertThat(aliases.compareAndSet(read, "champion", "v1", "based on generation 2", "test")).isTrue();
        assertThat(aliases.read("crash").generation()).isEqualTo(3);
    }

    @Test
    void aRivalThatCommitsBetweenOurReadAndOurWriteWinsThroughS3sPrecondition() {
        // Another process commits generation 1 after this writer re-read generation 0 and before it writes: the clock
        // is read exactly there, so it plays the rival. Only S3's If-None-Match (412) can stop this writer now.
        s3.putVersion("rival", "v1", null, true);
        s3.putVersion("rival", "v2", null, true);
        AliasesDocument theirs = AliasesDocument.empty("rival").next("champion", "v2", "rival", "test", "t",
                "rival-writer");
        Clock rivalCommits = new Clock() {
            @Override
            public Instant instant() {
                s3.store.put(AliasStore.historyKey("rival", 1), AliasesCodec.write(theirs), "application/json");
                return CLOCK.instant();
            }

            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }
        };
        AliasStore racer = new AliasStore(s3.registry, rivalCommits);

        assertThat(racer.compareAndSet(aliases.read("rival"), "champion", "v1", "ours", "test")).isFalse();

        assertThat(aliases.history("rival")).extracting(AliasesDocument::writeId).containsExactly("rival-writer");
        assertThat(aliases.read("rival").alias("champion")).hasValueSatisfying(
                t -> assertThat(t.version()).isEqualTo("v2"));
    }
}
