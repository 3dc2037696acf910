package dev.adapterloop.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.adapterloop.nativelib.NativeHelpersBuilt;
import dev.adapterloop.model.decoder.DecoderModel;
import dev.adapterloop.model.decoder.ReferenceFixture;
import dev.adapterloop.model.safetensors.Tensor;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Fused attention (opt-in) on a decoder with one key/value head per query head (GPT-2): the oracle's logits,
 * right- and left-padded, as with the unfused path. Needs the native helper (skipped where it was not built).
 */
class DecoderFusedAttentionTest {

    @Test
    void gpt2WithFusedAttentionGivesTheOraclesLogits() throws Exception {
        NativeHelpersBuilt.assumeCxx();
        AttentionKernel configured = AttentionKernel.use(AttentionKernel.FUSED);
        try {
            assertThat(FusedAttention.unavailableReason()).isEmpty();
            ReferenceFixture fixture = ReferenceFixture.of("gpt2-tiny");
            Map<String, Tensor> expected = fixture.expected();
            try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
                DecoderModel model = fixture.load(manager);
                ParameterStore ps = new ParameterStore(manager, false);
                for (String side : new String[] {"", "_left"}) {
                    NDArray ids = ReferenceFixture.array(expected.get("input_ids" + side), manager);
                    NDArray mask = ReferenceFixture.array(expected.get("attention_mask" + side), manager);
                    NDArray logits = model.logits(ps, model.run(ps, ids, mask, null, null, false, null), false);
                    String key = side.isEmpty() ? "logits" : "logits_left_default_positions";
                    double diff = ReferenceFixture.maxDiffAtRealPositions(logits,
                            ReferenceFixture.array(expected.get(key), manager), mask);
                    System.out.printf("gpt2-tiny%s with fused attention: max |Δlogit| %.2e%n", side, diff);
                    assertThat(diff).isLessThanOrEqualTo(1e-4);
                }
            }
        } finally {
            AttentionKernel.use(configured);
        }
    }
}
