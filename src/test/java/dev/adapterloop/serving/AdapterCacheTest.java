package dev.adapterloop.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.adapterloop.events.PredictionId;
import dev.adapterloop.registry.AdapterRegistry;
import dev.adapterloop.registry.AliasStore;
import dev.adapterloop.testing.BundledModel;
import dev.adapterloop.testing.TestServingConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The serving cache over a real S3 server and the real engine ({@link ServedModels} with {@link AdapterCache}):
 * versions that requests name are loaded once and then served from memory, the least recently used unpinned version
 * leaves when the budget is full, the champion never does, an evicted version finishes the requests that hold it, and
 * a rollback to a version that left its slot loads nothing.
 */
class AdapterCacheTest {

    private static final String TASK = "spam";
    private static final List<String> TEXTS = List.of("Claim your FREE gift card today", "Lunch at noon?");

    @TempDir
    static Path dir;
    private static ServingFixtures.Bucket bucket;
    private static AdapterRegistry registry;
    private static VersionLoader loader;
    private static long versionBytes;

    private SimpleMeterRegistry meters;
    private ServedModels served;

    @BeforeAll
    static void publish() throws Exception {
        bucket = ServingFixtures.Bucket.start(dir, "cache");
        registry = bucket.registry();
        loader = bucket.loader();
        for (int i = 1; i <= 4; i++) {
            ServingFixtures.publishVersion(registry, BundledModel.encoder(), TASK, "v" + i, 10 + i);
        }
        ServingFixtures.publishVersion(registry, BundledModel.encoder(), TASK, "broken", 20);
        ServingFixtures.truncateWeights(registry, TASK, "broken");
        ServedModel one = loader.load(TASK, "v1", VersionLoader.SHARED);
        versionBytes = one.residentBytes();
        one.release();
    }

    @AfterAll
    static void close() {
        bucket.close();
    }

    @AfterEach
    void stop() {
        if (served != null) {
            served.close();
        }
    }

    /** A cache with room for {@code versions} versions (and a half, so that rounding never decides). */
    private ServedModels serving(double versions) {
        meters = new SimpleMeterRegistry();
        served = new ServedModels(new AliasStore(registry, Clock.systemUTC()), registry,
                TestServingConfig.of(Duration.ofHours(1), VersionLoader.SHARED, (long) (versions * versionBytes)),
                meters, Set.of(TASK), loader);
        return served;
    }

    private double count(String meter) {
        return meters.get("adapterloop.serving.adapter.cache." + meter).counter().count();
    }

    private static void champion(String version) {
        AliasStore aliases = new AliasStore(registry, Clock.systemUTC());
        assertThat(aliases.compareAndSet(aliases.read(TASK), PredictionId.CHAMPION, version, "test", "test")).isTrue();
    }

    @Test
    void aSharedVersionCostsItsAdaptersAndHeadNotTheBase() {
        ServedModel own = loader.load(TASK, "v1", VersionLoader.UNMERGED);
        try {
            // LoRA r=4 on query and value of 6 layers of 384 wide, plus a 2-label head: about 150 KB in fp32.
            assertThat(versionBytes).isBetween(100_000L, 300_000L);
            assertThat(own.residentBytes()).isGreaterThan(50L * versionBytes); // a whole copy of the base
        } finally {
            own.release();
        }
    }

    @Test
    void aVersionARequestNamesIsLoadedOnceThenServedFromMemory() {
        ServedModels models = serving(4.5);
        ServedModel first = models.acquireVersion(TASK, "v2");
        List<ServedModel.Scores> scores = first.predict(TEXTS, 128);
        first.release();
        ServedModel again = models.acquireVersion(TASK, "v2");
        try {
            assertThat(again).isSameAs(first);
            assertThat(again.predict(TEXTS, 128).get(0).probabilities()).isEqualTo(scores.get(0).probabilities());
        } finally {
            again.release();
        }
        assertThat(count("loads")).isEqualTo(1);
        assertThat(count("hits")).isEqualTo(1);
        assertThat(models.cachedBytes()).isEqualTo(versionBytes);
    }

    @Test
    void theLeastRecentlyUsedUnpinnedVersionLeavesWhenTheBudgetIsFullAndTheChampionNever() throws Exception {
        champion("v1");
        ServedModels models = serving(2.5); // the champion and one more
        models.refresh(TASK).get(60, TimeUnit.SECONDS);
        ServedModel v2 = models.acquireVersion(TASK, "v2"); // held, as by a request in flight
        models.acquireVersion(TASK, "v3").release(); // no room for v2 as well: v2 leaves, v1 is pinned
        assertThat(models.cachedVersions()).containsExactly("spam/v1", "spam/v3");
        assertThat(count("evictions")).isEqualTo(1);
        // Evicted, but the request holding it finishes on it; the last release closes it.
        assertThat(v2.isClosed()).isFalse();
        assertThat(v2.predict(TEXTS, 128)).hasSize(2);
        v2.release();
        assertThat(v2.isClosed()).isTrue();

        models.acquireVersion(TASK, "v4").release(); // v3 leaves; the champion stays although older
        assertThat(models.cachedVersions()).containsExactly("spam/v1", "spam/v4");
        assertThat(models.slots(TASK).champion().isClosed()).isFalse();
        assertThat(count("loads")).isEqualTo(4);
        assertThat(models.cachedBytes()).isEqualTo(2 * versionBytes);
    }

    @Test
    void aRollbackToAVersionThatLeftItsSlotLoadsNothing() throws Exception {
        champion("v1");
        ServedModels models = serving(4.5);
        ServedModel v1 = models.refresh(TASK).get(60, TimeUnit.SECONDS).champion();
        champion("v2");
        assertThat(models.refresh(TASK).get(60, TimeUnit.SECONDS).championVersion()).contains("v2");
        champion("v1");
        TaskSlots back = models.refresh(TASK).get(60, TimeUnit.SECONDS);
        assertThat(back.champion()).isSameAs(v1);
        assertThat(count("loads")).isEqualTo(2);
        assertThat(count("hits")).isEqualTo(1);
    }

    @Test
    void concurrentRequestsForAVersionNotLoadedShareOneLoad() throws Exception {
        ServedModels models = serving(4.5);
        ExecutorService requests = Executors.newFixedThreadPool(6);
        try {
            List<Future<ServedModel>> answers = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                answers.add(requests.submit(() -> models.acquireVersion(TASK, "v3")));
            }
            ServedModel first = answers.getFirst().get(60, TimeUnit.SECONDS);
            for (Future<ServedModel> answer : answers) {
                ServedModel model = answer.get(60, TimeUnit.SECONDS);
                assertThat(model).isSameAs(first);
                model.release();
            }
        } finally {
            requests.shutdownNow();
        }
        assertThat(count("loads")).isEqualTo(1);
    }

    @Test
    void aVersionThatCannotBeServedGetsASpecificAnswerAndIsNotLoadedOverAndOver() {
        ServedModels models = serving(4.5);
        assertThatThrownBy(() -> models.acquireVersion(TASK, "v99"))
                .isInstanceOfSatisfying(ServingProblem.class,
                        e -> assertThat(e.kind()).isEqualTo(ServingProblem.Kind.UNKNOWN_VERSION))
                .hasMessageContaining("v99");
        assertThatThrownBy(() -> models.acquireVersion(TASK, "../v1"))
                .isInstanceOfSatisfying(ServingProblem.class,
                        e -> assertThat(e.kind()).isEqualTo(ServingProblem.Kind.INVALID_NAME));
        assertThatThrownBy(() -> models.acquireVersion(TASK, "broken"))
                .isInstanceOfSatisfying(ServingProblem.class,
                        e -> assertThat(e.kind()).isEqualTo(ServingProblem.Kind.VERSION_UNAVAILABLE))
                .hasMessageContaining("broken");
        double failures = meters.get("adapterloop.serving.load.failures").counter().count();
        assertThatThrownBy(() -> models.acquireVersion(TASK, "broken"))
                .isInstanceOfSatisfying(ServingProblem.class,
                        e -> assertThat(e.kind()).isEqualTo(ServingProblem.Kind.VERSION_UNAVAILABLE))
                .hasMessageContaining("load-retry-interval");
        // Remembered for load-retry-interval: the second request loaded nothing.
        assertThat(meters.get("adapterloop.serving.load.failures").counter().count()).isEqualTo(failures);
        assertThat(models.cachedVersions()).isEmpty();
    }
}
