package dev.adapterloop.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.adapterloop.adapters.AdaptedLanguageModel;
import dev.adapterloop.adapters.AdapterMethods;
import dev.adapterloop.adapters.SharedHyperparameters;
import dev.adapterloop.adapters.TargetModules;
import dev.adapterloop.dataset.CompletionExample;
import dev.adapterloop.model.PretrainedModel;
import dev.adapterloop.model.decoder.DecoderModel;
import dev.adapterloop.model.decoder.GreedyDecoder;
import dev.adapterloop.model.decoder.TokenizedCompletion;
import dev.adapterloop.testing.TinyDecoders;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Completion-only next-token training of a decoder's adapters: what is counted, and that the model learns it. */
class CausalLmTrainerTest {

    private static final long EOS = 2;

    @TempDir
    static Path dir;

    @Test
    void onlyTheCompletionAndTheEndTokenAreCounted() throws Exception {
        try (PretrainedModel base = PretrainedModel.load(TinyDecoders.folder("llama-tiny", dir.resolve("m1")),
                Device.cpu())) {
            List<TokenizedCompletion> sequences = CausalLmTrainer.tokenize(base.tokenizer(), List.of(
                    new CompletionExample("t30 t31 t32", "t7 t8"), new CompletionExample("", "t9 t10 t11")), 16, EOS);
            assertThat(sequences.get(0).ids()).containsExactly(30, 31, 32, 7, 8, EOS);
            assertThat(sequences.get(0).completionStart()).isEqualTo(3);
            assertThat(sequences.get(0).labels(8)).containsExactly(-100, -100, -100, 7, 8, EOS, -100, -100);
            // Without a prompt every token but the first is a target.
            assertThat(sequences.get(1).labels(4)).containsExactly(-100, 10, 11, EOS);

            List<TokenizedCompletion> truncated = CausalLmTrainer.tokenize(base.tokenizer(),
                    List.of(new CompletionExample("t30 t31", "t7 t8 t9 t10")), 4, EOS);
            assertThat(truncated.get(0).ids()).as("the completion's end is cut, not the prompt")
                    .containsExactly(30, 31, 7, 8);
            assertThatThrownBy(() -> CausalLmTrainer.tokenize(base.tokenizer(),
                    List.of(new CompletionExample("t1 t2 t3 t4", "t5")), 4, EOS))
                    .isInstanceOf(BadDataException.class).hasMessageContaining("leaves no room for the completion");
        }
    }

    @Test
    void loraLearnsToCompleteThePromptsItWasTrainedOn() throws Exception {
        try (PretrainedModel base = PretrainedModel.load(TinyDecoders.folder("llama-tiny", dir.resolve("m2")),
                Device.cpu())) {
            DecoderModel decoder = (DecoderModel) base.backbone();
            List<CompletionExample> examples = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                examples.add(new CompletionExample("t" + (40 + i) + " t" + (50 + i) + " t60", "t" + (100 + i)
                        + " t" + (110 + i)));
            }
            List<CompletionExample> repeated = new ArrayList<>();
            for (int copy = 0; copy < 16; copy++) {
                repeated.addAll(examples);
            }
            List<TokenizedCompletion> sequences = CausalLmTrainer.tokenize(base.tokenizer(), repeated, 16, EOS);
            TrainingConfig config = new TrainingConfig(1, 8, 16, 2e-2, 0.0, 0.0, 1.0, 60, 3);
            try (AdaptedLanguageModel model = AdaptedLanguageModel.create(decoder, AdapterMethods.create("lora",
                    new SharedHyperparameters(8, 16, 0.0, TargetModules.parse("re:.*_proj"))), base.manager(), 3)) {
                TrainingResult result = new CausalLmTrainer(p -> { }).train(model, sequences, config, 0);
                System.out.printf("completion-only LoRA: loss %.4f -> %.4f in %d steps (%.0f tokens/s)%n",
                        result.lossCurve().getFirst(), result.finalLoss(3), result.steps(), result.tokensPerSecond());
                assertThat(result.finalLoss(3)).isLessThan(0.2 * result.lossCurve().getFirst());
                try (NDManager manager = base.manager().newSubManager()) {
                    GreedyDecoder greedy = new GreedyDecoder(decoder, manager);
                    for (int i = 0; i < examples.size(); i++) {
                        NDArray prompt = manager.create(new long[] {40 + i, 50 + i, 60}, new Shape(1, 3));
                        assertThat(greedy.generate(prompt, prompt.onesLike(), 3, true)[0])
                                .containsExactly(100 + i, 110 + i, EOS);
                    }
                }
            }
        }
    }
}
