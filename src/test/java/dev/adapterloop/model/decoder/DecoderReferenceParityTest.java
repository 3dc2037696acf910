package dev.adapterloop.model.decoder;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.ParameterStore;
import dev.adapterloop.model.safetensors.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The decoders against the oracle in {@code reference-models/}: every fixture loads unchanged and reproduces its
 * logits (right- and left-padded), hidden states, loss and greedy tokens, with and without the KV cache. Tolerances
 * are the oracle's: logits 1e-4, loss 1e-5, tokens exact.
 */
class DecoderReferenceParityTest {

    private static final double LOGITS_TOLERANCE = 1e-4;

    @ParameterizedTest
    @ValueSource(strings = {"gpt2-tiny", "gpt2-tiny-legacy", "llama-tiny", "qwen2-tiny", "llama3-tiny"})
    void rightPaddedBatchGivesTheLogitsHiddenStatesAndLoss(String name) throws Exception {
        ReferenceFixture fixture = ReferenceFixture.of(name);
        Map<String, Tensor> expected = fixture.expected();
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            DecoderModel model = fixture.load(manager);
            NDArray ids = ReferenceFixture.array(expected.get("input_ids"), manager);
            NDArray mask = ReferenceFixture.array(expected.get("attention_mask"), manager);
            List<NDArray> states = new ArrayList<>();
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray hidden = model.run(ps, ids, mask, null, null, false, states);
            NDArray logits = model.logits(ps, hidden, false);

            double logitsDiff = ReferenceFixture.maxDiffAtRealPositions(logits,
                    ReferenceFixture.array(expected.get("logits"), manager), mask);
            // transformers' hidden_states: the embeddings, each layer's output but the last, then the final norm.
            NDArray expectedStates = ReferenceFixture.array(expected.get("hidden_states"), manager);
            int layers = model.numLayers();
            double statesDiff = 0;
            for (int i = 0; i <= layers; i++) {
                NDArray ours = i < layers ? states.get(i) : states.get(states.size() - 1);
                statesDiff = Math.max(statesDiff, ReferenceFixture.maxDiffAtRealPositions(ours,
                        expectedStates.get(i), mask));
            }
            float loss = CausalLmLoss.mean(logits, ReferenceFixture.array(expected.get("labels"), manager)).getFloat();
            float expectedLoss = expected.get("loss").toFloats()[0];
            System.out.printf("%s right-padded: max |Δlogit| %.2e, max |Δhidden| %.2e, loss %.6f vs %.6f%n", name,
                    logitsDiff, statesDiff, loss, expectedLoss);
            assertThat(logitsDiff).isLessThanOrEqualTo(LOGITS_TOLERANCE);
            assertThat(statesDiff).isLessThanOrEqualTo(LOGITS_TOLERANCE);
            assertThat((double) Math.abs(loss - expectedLoss)).isLessThanOrEqualTo(1e-5);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt2-tiny", "gpt2-tiny-legacy", "llama-tiny", "qwen2-tiny", "llama3-tiny"})
    void leftPaddedBatchWithGenerationPositionsGivesTheLogits(String name) throws Exception {
        ReferenceFixture fixture = ReferenceFixture.of(name);
        Map<String, Tensor> expected = fixture.expected();
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            DecoderModel model = fixture.load(manager);
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray ids = ReferenceFixture.array(expected.get("input_ids_left"), manager);
            NDArray mask = ReferenceFixture.array(expected.get("attention_mask_left"), manager);
            NDArray positions = GreedyDecoder.generationPositions(mask);
            assertThat(positions.toLongArray()).containsExactly(
                    ReferenceFixture.array(expected.get("position_ids_left"), manager).toLongArray());
            NDArray logits = model.logits(ps, model.run(ps, ids, mask, positions, null, false, null), false);
            double diff = ReferenceFixture.maxDiffAtRealPositions(logits,
                    ReferenceFixture.array(expected.get("logits_left"), manager), mask);
            System.out.printf("%s left-padded, generate() positions: max |Δlogit| %.2e%n", name, diff);
            assertThat(diff).isLessThanOrEqualTo(LOGITS_TOLERANCE);

            if (expected.containsKey("logits_left_default_positions")) {
                NDArray defaults = model.logits(ps, model.run(ps, ids, mask, null, null, false, null), false);
                double defaultDiff = ReferenceFixture.maxDiffAtRealPositions(defaults,
                        ReferenceFixture.array(expected.get("logits_left_default_positions"), manager), mask);
                System.out.printf("%s left-padded, default positions: max |Δlogit| %.2e%n", name, defaultDiff);
                assertThat(defaultDiff).isLessThanOrEqualTo(LOGITS_TOLERANCE);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt2-tiny", "gpt2-tiny-legacy", "llama-tiny", "qwen2-tiny", "llama3-tiny"})
    void greedyTokensMatchWithTheCacheWithoutItAndBatched(String name) throws Exception {
        ReferenceFixture fixture = ReferenceFixture.of(name);
        Map<String, Tensor> expected = fixture.expected();
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            DecoderModel model = fixture.load(manager);
            GreedyDecoder decoder = new GreedyDecoder(model, manager);
            NDArray prompt = ReferenceFixture.array(expected.get("greedy_prompt"), manager);
            NDArray promptMask = prompt.onesLike();
            long[] tokens = ReferenceFixture.rows(expected.get("greedy_tokens"))[0];
            assertThat(decoder.generate(prompt, promptMask, tokens.length, true)[0]).containsExactly(tokens);
            assertThat(decoder.generate(prompt, promptMask, tokens.length, false)[0]).containsExactly(tokens);

            NDArray ids = ReferenceFixture.array(expected.get("input_ids_left"), manager);
            NDArray mask = ReferenceFixture.array(expected.get("attention_mask_left"), manager);
            long[][] batch = ReferenceFixture.rows(expected.get("greedy_batch_left"));
            assertThat(decoder.generate(ids, mask, batch[0].length, true)).isDeepEqualTo(batch);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt2-tiny", "llama-tiny", "qwen2-tiny", "llama3-tiny"})
    void cachedIncrementalDecodingEqualsTheFullForward(String name) throws Exception {
        ReferenceFixture fixture = ReferenceFixture.of(name);
        Map<String, Tensor> expected = fixture.expected();
        for (String side : new String[] {"", "_left"}) {
            try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
                DecoderModel model = fixture.load(manager);
                ParameterStore ps = new ParameterStore(manager, false);
                NDArray ids = ReferenceFixture.array(expected.get("input_ids" + side), manager);
                NDArray mask = ReferenceFixture.array(expected.get("attention_mask" + side), manager);
                NDArray positions = side.isEmpty() ? null : GreedyDecoder.generationPositions(mask);
                NDArray full = model.logits(ps, model.run(ps, ids, mask, positions, null, false, null), false);
                long seq = ids.getShape().get(1);
                List<NDArray> pieces = new ArrayList<>();
                try (KvCache cache = new KvCache(manager, model.numLayers())) {
                    long from = 0;
                    for (long to : new long[] {4, 5, 6, 7, 8, 9, 10, 11, 12}) {
                        NDArray stepPositions = positions == null ? null
                                : positions.get(new NDIndex(":, {}:{}", from, to));
                        NDArray hidden = model.run(ps, ids.get(new NDIndex(":, {}:{}", from, to)),
                                mask.get(new NDIndex(":, :{}", to)), stepPositions, cache, false, null);
                        pieces.add(model.logits(ps, hidden, false));
                        from = to;
                    }
                    assertThat(cache.length()).isEqualTo(seq);
                }
                NDArray incremental = pieces.get(0);
                for (int i = 1; i < pieces.size(); i++) {
                    incremental = incremental.concat(pieces.get(i), 1);
                }
                double diff = ReferenceFixture.maxDiffAtRealPositions(incremental, full, mask);
                System.out.printf("%s%s: cached incremental vs full forward max |Δlogit| %.2e%n", name, side, diff);
                assertThat(diff).isLessThanOrEqualTo(1e-5);
            }
        }
    }
}
