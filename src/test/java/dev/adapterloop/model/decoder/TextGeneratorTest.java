package dev.adapterloop.model.decoder;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.adapterloop.model.PretrainedModel;
import dev.adapterloop.testing.TinyDecoders;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Completions of a batch in one loop: each row as if alone, greedy rows equal to the oracle-checked greedy decoder,
 * seeded sampling reproducible, stop sequences and budgets ending rows, and the streamed text equal to the result.
 */
class TextGeneratorTest {

    private static final long EOS = 319;

    @TempDir
    static Path dir;
    private static PretrainedModel base;
    private static TextGenerator generator;

    @BeforeAll
    static void load() throws Exception {
        base = PretrainedModel.load(TinyDecoders.folder("qwen2-tiny", dir.resolve("qwen2")), Device.cpu());
        generator = new TextGenerator((DecoderModel) base.backbone(), base.tokenizer(), List.of(EOS), EOS);
    }

    @AfterAll
    static void close() {
        base.close();
    }

    private static TextGenerator.Request greedy(String prompt, int max) {
        return new TextGenerator.Request(prompt, max, 0, 0, 1, 0, List.of());
    }

    @Test
    void aGreedyRowIsTheGreedyDecodersContinuation() {
        try (NDManager manager = base.manager().newSubManager()) {
            TextGenerator.Completion completion = generator.generate(List.of(greedy("t5 t77 t120", 8)), manager,
                    (row, text) -> { }).getFirst();
            NDArray prompt = manager.create(new long[] {5, 77, 120}, new Shape(1, 3));
            long[] expected = new GreedyDecoder((DecoderModel) base.backbone(), manager)
                    .generate(prompt, prompt.onesLike(), 8, true)[0];
            int end = 0;
            while (end < expected.length && expected[end] != EOS) {
                end++;
            }
            assertThat(completion.tokens()).containsExactly(java.util.Arrays.copyOf(expected, end));
            assertThat(completion.finishReason()).isEqualTo(end < expected.length ? "stop" : "length");
            assertThat(completion.promptTokens()).isEqualTo(3);
        }
    }

    @Test
    void eachRowOfABatchIsWhatItWouldBeAlone() {
        List<TextGenerator.Request> requests = List.of(greedy("t5 t77 t120", 6), greedy("t9", 4),
                new TextGenerator.Request("t1 t2 t3 t4 t5 t6", 7, 0.9, 20, 0.95, 42, List.of()));
        try (NDManager manager = base.manager().newSubManager()) {
            List<TextGenerator.Completion> together = generator.generate(requests, manager, (row, text) -> { });
            for (int i = 0; i < requests.size(); i++) {
                TextGenerator.Completion alone = generator.generate(List.of(requests.get(i)), manager,
                        (row, text) -> { }).getFirst();
                assertThat(together.get(i).tokens()).as("row %d", i).containsExactly(alone.tokens());
                assertThat(together.get(i).text()).isEqualTo(alone.text());
            }
        }
    }

    @Test
    void aSeededSampleIsReproducibleAndAnotherSeedDiffers() {
        try (NDManager manager = base.manager().newSubManager()) {
            List<String> texts = new ArrayList<>();
            for (long seed : new long[] {1, 1, 2}) {
                texts.add(generator.generate(List.of(new TextGenerator.Request("t3 t4", 12, 1.5, 0, 1, seed,
                        List.of())), manager, (row, text) -> { }).getFirst().text());
            }
            assertThat(texts.get(0)).isEqualTo(texts.get(1)).isNotEqualTo(texts.get(2));
        }
    }

    @Test
    void aStopSequenceEndsTheTextBeforeItAndTheStreamEqualsTheResult() {
        try (NDManager manager = base.manager().newSubManager()) {
            TextGenerator.Completion free = generator.generate(List.of(greedy("t5 t77 t120", 8)), manager,
                    (row, text) -> { }).getFirst();
            assertThat(free.tokens().length).isGreaterThanOrEqualTo(4);
            String third = base.tokenizer().decode(new long[] {free.tokens()[2]}, true);
            Map<Integer, StringBuilder> streamed = new HashMap<>();
            TextGenerator.Completion stopped = generator.generate(List.of(new TextGenerator.Request("t5 t77 t120", 8,
                    0, 0, 1, 0, List.of(" " + third))), manager,
                    (row, text) -> streamed.computeIfAbsent(row, r -> new StringBuilder()).append(text)).getFirst();
            assertThat(stopped.finishReason()).isEqualTo("stop");
            assertThat(stopped.text()).isEqualTo(free.text().substring(0, free.text().indexOf(" " + third)));
            assertThat(streamed.get(0).toString()).isEqualTo(stopped.text());

            TextGenerator.Completion budget = generator.generate(List.of(greedy("t5 t77 t120", 2)), manager,
                    (row, text) -> { }).getFirst();
            assertThat(budget.tokens()).hasSize(2);
            assertThat(budget.finishReason()).isEqualTo("length");
        }
    }
}
