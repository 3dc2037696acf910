package dev.adapterloop.serving;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import dev.adapterloop.model.PretrainedModel;
import dev.adapterloop.model.decoder.DecoderModel;
import dev.adapterloop.model.decoder.TextGenerator;
import dev.adapterloop.testing.TinyDecoders;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Concurrent generation requests for one version on the real engine (the reference oracle's tiny Llama): requests
 * that queue while the decoding loop is busy are decoded together, each with exactly the answer it gets alone; a row
 * that cannot share the batch's positions is run alone instead of failing the others.
 */
class GenerationBatcherTest {

    private static final long EOS = 2;
    @TempDir
    static Path dir;
    private static PretrainedModel decoder;
    private static ServedModel served;

    @BeforeAll
    static void load() throws Exception {
        decoder = PretrainedModel.load(TinyDecoders.folder("llama-tiny", dir.resolve("m")), Device.cpu());
        TextGenerator generator = new TextGenerator((DecoderModel) decoder.backbone(), decoder.tokenizer(),
                List.of(EOS), 0);
        served = ServedModel.generating("t", "v1", VersionLoader.UNMERGED, decoder, generator, null, () -> { });
    }

    @AfterAll
    static void close() {
        served.release();
    }

    @Test
    void requestsQueuedWhileTheLoopIsBusyAreDecodedTogetherWithTheirOwnAnswers() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        List<TextGenerator.Request> requests = IntStream.range(0, 12).mapToObj(i -> new TextGenerator.Request(
                prompt(3 + i % 5, 20 + i), 4 + i % 7, i % 2 == 0 ? 0 : 0.9, 0, 0.95, 100 + i, List.of())).toList();
        List<TextGenerator.Completion> alone = new ArrayList<>();
        for (TextGenerator.Request request : requests) {
            alone.add(served.generate(List.of(request), (row, text) -> { }).getFirst());
        }
        try (GenerationBatcher batcher = new GenerationBatcher(1, 16, 64, meters)) {
            List<StringBuilder> streamed = requests.stream().map(r -> new StringBuilder()).toList();
            List<CompletableFuture<TextGenerator.Completion>> futures = IntStream.range(0, requests.size())
                    .mapToObj(i -> batcher.submit(served, requests.get(i), streamed.get(i)::append)).toList();
            for (int i = 0; i < requests.size(); i++) {
                TextGenerator.Completion batched = futures.get(i).get(60, TimeUnit.SECONDS);
                assertThat(batched.tokens()).as("request %d", i).containsExactly(alone.get(i).tokens());
                assertThat(batched.text()).isEqualTo(alone.get(i).text());
                assertThat(batched.finishReason()).isEqualTo(alone.get(i).finishReason());
                assertThat(streamed.get(i).toString()).isEqualTo(alone.get(i).text());
            }
        }
        DistributionSummary sizes = meters.get("adapterloop.generation.batch.size").summary();
        System.out.printf("generation batcher: 12 requests in %d loops (largest %d)%n", sizes.count(),
                (long) sizes.max());
        assertThat(sizes.count()).isLessThan(12);
        assertThat(sizes.max()).isGreaterThan(1);
        assertThat(sizes.totalAmount()).isEqualTo(12);
    }

    @Test
    void aRowThatCannotShareTheBatchsPositionsRunsAloneAndOnlyAnImpossibleOneFails() throws Exception {
        try (GenerationBatcher batcher = new GenerationBatcher(1, 16, 64, new SimpleMeterRegistry())) {
            // Occupies the only loop so that the three below queue and are drained as one batch.
            CompletableFuture<TextGenerator.Completion> blocker = batcher.submit(served,
                    new TextGenerator.Request(prompt(4, 30), 60, 0.9, 0, 1, 7, List.of()), text -> { });
            // 100 + 20 and 5 + 40 fit 128 positions alone, not left-padded together (100 + 40).
            CompletableFuture<TextGenerator.Completion> longPrompt = batcher.submit(served,
                    new TextGenerator.Request(prompt(100, 40), 20, 0, 0, 1, 1, List.of()), text -> { });
            CompletableFuture<TextGenerator.Completion> longBudget = batcher.submit(served,
                    new TextGenerator.Request(prompt(5, 50), 40, 0, 0, 1, 1, List.of()), text -> { });
            CompletableFuture<TextGenerator.Completion> impossible = batcher.submit(served,
                    new TextGenerator.Request(prompt(120, 60), 20, 0, 0, 1, 1, List.of()), text -> { });
            assertThat(blocker.get(60, TimeUnit.SECONDS).tokens()).isNotEmpty();
            assertThat(longPrompt.get(60, TimeUnit.SECONDS).promptTokens()).isEqualTo(100);
            assertThat(longBudget.get(60, TimeUnit.SECONDS).promptTokens()).isEqualTo(5);
            assertThat(impossible).failsWithin(60, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(IllegalArgumentException.class).withMessageContaining("positions");
        }
    }

    @Test
    void beyondItsBoundABurstIsRefusedAtOnceAndAdmittedAgainOnceRequestsFinish() throws Exception {
        try (GenerationBatcher batcher = new GenerationBatcher(1, 16, 3, new SimpleMeterRegistry())) {
            List<CompletableFuture<TextGenerator.Completion>> admitted = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                admitted.add(batcher.submit(served, new TextGenerator.Request(prompt(4, 30 + i), 40, 0, 0, 1, i,
                        List.of()), text -> { }));
            }
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> batcher.submit(served,
                    new TextGenerator.Request(prompt(4, 40), 4, 0, 0, 1, 1, List.of()), text -> { }))
                    .isInstanceOf(GenerationBatcher.FullException.class)
                    .hasMessageContaining("3 generation requests are queued or decoding");
            for (CompletableFuture<TextGenerator.Completion> future : admitted) {
                future.get(60, TimeUnit.SECONDS);
            }
            // whenComplete runs after get() may return: the permits come back a moment later
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() ->
                    assertThat(batcher.submit(served, new TextGenerator.Request(prompt(4, 40), 4, 0, 0, 1, 1,
                            List.of()), text -> { }).get(60, TimeUnit.SECONDS).tokens()).isNotEmpty());
        }
    }

    /** {@code n} word tokens of the word-level tokenizer, {@code t<from>} on. */
    private static String prompt(int n, int from) {
        return IntStream.range(0, n).mapToObj(i -> "t" + (from + i % 300)).collect(Collectors.joining(" "));
    }
}
