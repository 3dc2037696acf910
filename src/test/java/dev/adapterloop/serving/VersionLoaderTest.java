package dev.adapterloop.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import dev.adapterloop.registry.AdapterRegistry;
import dev.adapterloop.registry.ObjectStore;
import dev.adapterloop.registry.ObjectStoreException;
import dev.adapterloop.registry.RetrySettings;
import dev.adapterloop.testing.BundledModel;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading versions from a real S3 server into the real engine: merged equals unmerged; failures name the cause. */
class VersionLoaderTest {
    private static final List<String> TEXTS = List.of("Claim your FREE gift card today", "Lunch at noon?",
            "Re: patch for the build script");

    @TempDir
    static Path dir;
    private static ServingFixtures.Bucket bucket;
    private static AdapterRegistry registry;
    private static VersionLoader loader;

    @BeforeAll
    static void publish() throws Exception {
        bucket = ServingFixtures.Bucket.start(dir, "loader");
        registry = bucket.registry();
        loader = bucket.loader();
        ServingFixtures.publishVersion(registry, BundledModel.encoder(), "spam", "v1", 7);
        ServingFixtures.publishVersion(registry, BundledModel.encoder(), "other", "v9", 8);
    }

    @AfterAll
    static void close() {
        bucket.close();
    }

    @Test
    void sharedVersionsAnswerAsTheirOwnCopyWouldAndHoldOneBaseBetweenThem() {
        ServedModel own = loader.load("spam", "v1", VersionLoader.UNMERGED);
        ServedModel ownOther = loader.load("other", "v9", VersionLoader.UNMERGED);
        ServedModel shared = loader.load("spam", "v1", VersionLoader.SHARED);
        assertThat(loader.sharedBaseCount()).isEqualTo(1);
        ServedModel sharedOther = loader.load("other", "v9", VersionLoader.SHARED);
        try {
            assertThat(loader.sharedBaseCount()).as("the second version reuses the loaded base").isEqualTo(1);
            assertThat(shared.mode()).isEqualTo(VersionLoader.SHARED);
            List<ServedModel.Scores> a = own.predict(TEXTS, 64);
            List<ServedModel.Scores> b = shared.predict(TEXTS, 64);
            List<ServedModel.Scores> c = ownOther.predict(TEXTS, 64);
            List<ServedModel.Scores> d = sharedOther.predict(TEXTS, 64);
            for (int i = 0; i < TEXTS.size(); i++) {
                assertThat(b.get(i).probabilities()).containsExactly(a.get(i).probabilities());
                assertThat(d.get(i).probabilities()).containsExactly(c.get(i).probabilities());
            }
            assertThat(a.get(0).probabilities()[0]).as("two different versions")
                    .isNotCloseTo(c.get(0).probabilities()[0], within(1e-3f));
        } finally {
            own.release();
            ownOther.release();
            shared.release();
        }
        assertThat(loader.sharedBaseCount()).as("still held by the other version").isEqualTo(1);
        assertThat(sharedOther.predict(TEXTS, 64)).hasSize(TEXTS.size());
        sharedOther.release();
        assertThat(loader.sharedBaseCount()).as("closed with its last version").isZero();
    }

    @Test
    void aMixedBatchScoresEveryTextWithItsOwnVersion() {
        ServedModel spam = loader.load("spam", "v1", VersionLoader.SHARED);
        ServedModel other = loader.load("other", "v9", VersionLoader.SHARED);
        ServedModel own = loader.load("spam", "v1", VersionLoader.UNMERGED);
        try {
            List<ServedModel.Scores> mixed = MixedBatch.predict(List.of(other, spam, other), TEXTS, 64);
            List<ServedModel.Scores> spamAlone = spam.predict(TEXTS, 64);
            List<ServedModel.Scores> otherAlone = other.predict(TEXTS, 64);
            for (int i = 0; i < TEXTS.size(); i++) {
                float[] alone = (i == 1 ? spamAlone : otherAlone).get(i).probabilities();
                for (int c = 0; c < alone.length; c++) {
                    assertThat(mixed.get(i).probabilities()[c]).as("text %d class %d", i, c)
                            .isCloseTo(alone[c], within(1e-5f));
                }
            }
            assertThatThrownBy(() -> MixedBatch.predict(List.of(spam, own, spam), TEXTS, 64))
                    .hasMessageContaining("not a classification version served on a shared base");
            assertThatThrownBy(() -> MixedBatch.predict(List.of(spam), TEXTS, 64))
                    .hasMessageContaining("one model per text");
        } finally {
            spam.release();
            other.release();
            own.release();
        }
    }

    @Test
    void aSharedVersionThatFailsToLoadGivesItsBaseBack() throws Exception {
        ServingFixtures.publishVersion(registry, BundledModel.encoder(), "spam", "broken-shared", 8);
        ServingFixtures.truncateWeights(registry, "spam", "broken-shared");
        assertThatThrownBy(() -> loader.load("spam", "broken-shared", VersionLoader.SHARED))
                .isInstanceOf(VersionLoadException.class).hasMessageContaining("adapter_model.safetensors");
        assertThat(loader.sharedBaseCount()).isZero();
    }

    @Test
    void mergedAndUnmergedAnswerTheSame() {
        ServedModel merged = loader.load("spam", "v1", VersionLoader.MERGED);
        ServedModel unmerged = loader.load("spam", "v1", VersionLoader.UNMERGED);
        try {
            List<ServedModel.Scores> a = merged.predict(TEXTS, 64);
            List<ServedModel.Scores> b = unmerged.predict(TEXTS, 64);
            for (int i = 0; i < TEXTS.size(); i++) {
                for (int c = 0; c < 2; c++) {
                    assertThat(a.get(i).probabilities()[c]).isCloseTo(b.get(i).probabilities()[c], within(1e-4f));
                }
                assertThat(a.get(i).probabilities()[0] + a.get(i).probabilities()[1]).isCloseTo(1f, within(1e-5f));
            }
            assertThat(a.get(0).probabilities()[0]).as("the adapter moved the scores away from 50/50")
                    .isNotCloseTo(0.5f, within(1e-3f));
        } finally {
            merged.release();
            unmerged.release();
        }
    }

    @Test
    void theLastReferenceClosesTheModel() {
        ServedModel model = loader.load("spam", "v1", VersionLoader.MERGED);
        assertThat(model.tryAcquire()).isTrue(); // a request in flight
        model.release(); // the slot lets go
        assertThat(model.isClosed()).isFalse();
        assertThat(model.predict(TEXTS, 32)).hasSize(3); // the request still completes
        model.release();
        assertThat(model.isClosed()).isTrue();
        assertThat(model.tryAcquire()).isFalse();
        assertThatThrownBy(() -> model.predict(TEXTS, 32)).hasMessageContaining("closed");
    }

    /** The reason reaches no-champion answers and /q/health/ready: the store's address and bucket stay in the log. */
    @Test
    void anUnreachableStoreFailsTheLoadWithoutNamingItsAddressOrBucket() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort(); // closed again: nothing listens there
        }
        try (ObjectStore away = new ObjectStore(ObjectStore.Settings.of("http://127.0.0.1:" + port, "loader-access",
                "loader-secret-0123456", "hidden-bucket").withRetry(RetrySettings.NONE))) {
            VersionLoader awayLoader = new VersionLoader(new AdapterRegistry(away), dir.resolve("cache"),
                    dir.resolve("work"), Device.cpu(), DataType.FLOAT32);
            assertThatThrownBy(() -> awayLoader.load("spam", "v1", VersionLoader.MERGED))
                    .isInstanceOf(VersionLoadException.class)
                    .hasMessageContaining("spam/v1: the object store did not answer; the cause is in the service's"
                            + " log")
                    .hasMessageNotContaining(String.valueOf(port)).hasMessageNotContaining("hidden-bucket")
                    .cause().isInstanceOf(ObjectStoreException.class).hasMessageContaining("127.0.0.1:" + port);
        }
    }

    @Test
    void aMissingOrCorruptVersionIsAVersionLoadException() throws Exception {
        assertThatThrownBy(() -> loader.load("spam", "nope", VersionLoader.MERGED))
                .isInstanceOf(VersionLoadException.class).hasMessageContaining("spam/nope")
                .hasMessageContaining("no manifest");
        ServingFixtures.publishVersion(registry, BundledModel.encoder(), "spam", "broken", 8);
        ServingFixtures.truncateWeights(registry, "spam", "broken");
        assertThatThrownBy(() -> loader.load("spam", "broken", VersionLoader.UNMERGED))
                .isInstanceOf(VersionLoadException.class).hasMessageContaining("spam/broken")
                .hasMessageContaining("adapter_model.safetensors");
        assertThatThrownBy(() -> loader.load("spam", "v1", "half"))
                .hasMessageContaining("merged or unmerged, got half");
    }
}
