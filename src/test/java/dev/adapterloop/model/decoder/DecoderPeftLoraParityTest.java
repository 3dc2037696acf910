package dev.adapterloop.model.decoder;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.adapterloop.adapters.AdaptedLanguageModel;
import dev.adapterloop.adapters.PeftAdapterFiles;
import dev.adapterloop.model.safetensors.Tensor;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The oracle's PEFT LoRA adapters ({@code <fixture>/lora/}, CAUSAL_LM, r = 4, α = 8; GPT-2's on Conv1D with
 * {@code fan_in_fan_out}) load unchanged onto the decoders and reproduce the adapted logits, loss, greedy tokens and
 * the merged layer-0 weights in the checkpoint's own layout.
 */
class DecoderPeftLoraParityTest {

    @ParameterizedTest
    @ValueSource(strings = {"gpt2-tiny", "llama-tiny", "qwen2-tiny"})
    void theReferenceAdapterReproducesItsLogitsLossTokensAndMergedWeights(String name) throws Exception {
        ReferenceFixture fixture = ReferenceFixture.of(name);
        Map<String, Tensor> expected = fixture.expectedLora();
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            DecoderModel model = fixture.load(manager);
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray ids = ReferenceFixture.array(expected.get("input_ids"), manager);
            NDArray mask = ReferenceFixture.array(expected.get("attention_mask"), manager);
            NDArray baseLogits = model.logits(ps, model.run(ps, ids, mask, null, null, false, null), false);
            try (AdaptedLanguageModel adapted = PeftAdapterFiles.readLanguageModel(fixture.folder().resolve("lora"),
                    model, manager)) {
                NDArray logits = model.logits(ps, model.run(ps, ids, mask, null, null, false, null), false);
                NDArray expectedLogits = ReferenceFixture.array(expected.get("logits"), manager);
                double diff = ReferenceFixture.maxDiffAtRealPositions(logits, expectedLogits, mask);
                double moved = ReferenceFixture.maxDiffAtRealPositions(baseLogits, expectedLogits, mask);
                float loss = CausalLmLoss.mean(logits, ReferenceFixture.array(expected.get("labels"), manager))
                        .getFloat();
                float expectedLoss = expected.get("loss").toFloats()[0];
                System.out.printf("%s + PEFT LoRA: max |Δlogit| %.2e (the adapter moves logits by %.2f), loss %.6f"
                        + " vs %.6f%n", name, diff, moved, loss, expectedLoss);
                assertThat(moved).as("the adapter changes the logits").isGreaterThan(1e-2);
                assertThat(diff).isLessThanOrEqualTo(1e-4);
                assertThat((double) Math.abs(loss - expectedLoss)).isLessThanOrEqualTo(1e-5);

                NDArray prompt = ReferenceFixture.array(expected.get("greedy_prompt"), manager);
                long[] tokens = ReferenceFixture.rows(expected.get("greedy_tokens"))[0];
                assertThat(new GreedyDecoder(model, manager).generate(prompt, prompt.onesLike(), tokens.length, true)[0])
                        .containsExactly(tokens);

                for (Map.Entry<String, Tensor> entry : expected.entrySet()) {
                    if (!entry.getKey().startsWith("merged.")) {
                        continue;
                    }
                    String parameter = entry.getKey().substring("merged.".length());
                    String path = parameter.substring(0, parameter.length() - ".weight".length());
                    NDArray merged = adapted.effectiveWeight(path, manager);
                    NDArray stored = model.storedTransposed(parameter) ? merged.transpose() : merged;
                    double weightDiff = stored.sub(ReferenceFixture.array(entry.getValue(), manager)).abs().max()
                            .getFloat();
                    System.out.printf("%s merged %s: max |ΔW| %.2e%n", name, parameter, weightDiff);
                    assertThat(weightDiff).isLessThanOrEqualTo(1e-6);
                }
            }
            NDArray after = model.logits(ps, model.run(ps, ids, mask, null, null, false, null), false);
            assertThat(ReferenceFixture.maxDiffAtRealPositions(after, baseLogits, mask))
                    .as("closing the adapted model leaves the base as loaded").isEqualTo(0.0);
        }
    }
}
