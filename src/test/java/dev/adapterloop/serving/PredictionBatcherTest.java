package dev.adapterloop.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.adapterloop.registry.AdapterRegistry;
import dev.adapterloop.testing.BundledModel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Continuous batching on a shared base, over a real S3 server and the real engine: requests for different versions
 * that queue while a pass waits are answered by one pass, each with its own version's scores; a refused pass answers
 * every waiting request with the refusal and the batcher keeps working.
 */
class PredictionBatcherTest {

    private static final List<String> TEXTS = List.of("Claim your FREE gift card today", "Lunch at noon?",
            "Re: patch for the build script");

    /** One thread per caller, as request threads are (the common pool may have a single worker). */
    private static final ExecutorService CALLERS = Executors.newCachedThreadPool();

    @TempDir
    static Path dir;
    private static ServingFixtures.Bucket bucket;
    private static ServedModel spam;
    private static ServedModel other;

    @BeforeAll
    static void serveTwoVersionsOnOneBase() throws Exception {
        bucket = ServingFixtures.Bucket.start(dir, "batcher");
        AdapterRegistry registry = bucket.registry();
        ServingFixtures.publishVersion(registry, BundledModel.encoder(), "spam", "v1", 7);
        ServingFixtures.publishVersion(registry, BundledModel.encoder(), "other", "v9", 8);
        VersionLoader loader = bucket.loader();
        spam = loader.load("spam", "v1", VersionLoader.SHARED);
        other = loader.load("other", "v9", VersionLoader.SHARED);
    }

    @AfterAll
    static void close() {
        CALLERS.shutdownNow();
        spam.release();
        other.release();
        bucket.close();
    }

    /** Holds the first pass at its permit until the test lets it go; later passes run at once. */
    private static final class GatedPermits implements PredictionBatcher.Permits {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch open = new CountDownLatch(1);
        volatile RuntimeException refuse;

        @Override
        public <T> T withPermit(Supplier<T> pass) {
            entered.countDown();
            try {
                open.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (refuse != null) {
                throw refuse;
            }
            return pass.get();
        }
    }

    @Test
    void requestsThatQueueTogetherShareOnePassAndKeepTheirOwnVersionsScores() throws Exception {
        GatedPermits permits = new GatedPermits();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        PredictionBatcher batcher = new PredictionBatcher(64, 64, permits, meters);
        CompletableFuture<List<ServedModel.Scores>> first = CompletableFuture.supplyAsync(
                () -> batcher.predict(spam, List.of(TEXTS.get(0))), CALLERS);
        assertThat(permits.entered.await(60, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<List<ServedModel.Scores>> second = CompletableFuture.supplyAsync(
                () -> batcher.predict(other, List.of(TEXTS.get(1), TEXTS.get(2))), CALLERS);
        CompletableFuture<List<ServedModel.Scores>> third = CompletableFuture.supplyAsync(
                () -> batcher.predict(spam, List.of(TEXTS.get(2))), CALLERS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (batcher.waiting(spam.base()) < 3 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(batcher.waiting(spam.base())).as("all three wait behind the held pass").isEqualTo(3);
        permits.open.countDown();

        assertScores(first.get(60, TimeUnit.SECONDS), spam, List.of(TEXTS.get(0)));
        assertScores(second.get(60, TimeUnit.SECONDS), other, List.of(TEXTS.get(1), TEXTS.get(2)));
        assertScores(third.get(60, TimeUnit.SECONDS), spam, List.of(TEXTS.get(2)));
        var versions = meters.find("adapterloop.serving.batch.versions").summary();
        assertThat(versions.count()).as("one pass").isEqualTo(1);
        assertThat(versions.max()).as("two versions in it").isEqualTo(2);
        assertThat(meters.find("adapterloop.serving.batch.texts").summary().totalAmount()).isEqualTo(4);
    }

    @Test
    void aRefusedPassAnswersEveryWaitingRequestAndTheNextPassRuns() throws Exception {
        GatedPermits permits = new GatedPermits();
        permits.refuse = new ServingProblem(ServingProblem.Kind.OVERLOADED, null, "no inference slot");
        PredictionBatcher batcher = new PredictionBatcher(64, 64, permits, new SimpleMeterRegistry());
        CompletableFuture<List<ServedModel.Scores>> first = CompletableFuture.supplyAsync(
                () -> batcher.predict(spam, List.of(TEXTS.get(0))), CALLERS);
        assertThat(permits.entered.await(60, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<List<ServedModel.Scores>> second = CompletableFuture.supplyAsync(
                () -> batcher.predict(other, List.of(TEXTS.get(1))), CALLERS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (batcher.waiting(spam.base()) < 2 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(batcher.waiting(spam.base())).isEqualTo(2);
        permits.open.countDown();
        assertThatThrownBy(() -> first.get(60, TimeUnit.SECONDS)).hasCauseInstanceOf(ServingProblem.class)
                .hasMessageContaining("no inference slot");
        assertThatThrownBy(() -> second.get(60, TimeUnit.SECONDS)).hasCauseInstanceOf(ServingProblem.class);
        assertThat(batcher.waiting(spam.base())).isZero();

        permits.refuse = null;
        assertScores(batcher.predict(other, List.of(TEXTS.get(0))), other, List.of(TEXTS.get(0)));
    }

    private static void assertScores(List<ServedModel.Scores> got, ServedModel model, List<String> texts) {
        List<ServedModel.Scores> alone = model.predict(texts, 64);
        assertThat(got).hasSize(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            assertThat(got.get(i).labels()).isEqualTo(alone.get(i).labels());
            for (int c = 0; c < alone.get(i).probabilities().length; c++) {
                assertThat(got.get(i).probabilities()[c]).isCloseTo(alone.get(i).probabilities()[c], within(1e-5f));
            }
        }
    }
}
