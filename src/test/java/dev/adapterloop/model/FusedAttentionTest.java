package dev.adapterloop.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.adapterloop.nativelib.NativeHelpersBuilt;
import dev.adapterloop.testing.BundledModel;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fused attention (libtorch's scaled_dot_product_attention through src/main/c/fused_attention.cpp) against the
 * unfused computation, on the bundled model's real projections of real, padded sentences: same context, same
 * gradients; the unfused path wherever dropout applies; libtorch's errors as exceptions. Fused attention is opt-in,
 * so these tests choose it for themselves; the rest of the suite runs the default, unfused.
 */
class FusedAttentionTest {

    private static final List<String> SENTENCES = List.of(
            "Congratulations! You have won a FREE cruise. Reply now to claim your prize.",
            "Hi Bob, are we still on for lunch tomorrow?",
            "ok");
    private static final String LAYER = "encoder.layer.1.attention.self.";

    private PretrainedModel encoder;
    private int heads;

    private AttentionKernel configured;

    @BeforeEach
    void fusedAttentionIsSetUp() {
        NativeHelpersBuilt.assumeCxx();
        encoder = BundledModel.encoder();
        heads = ((BertEncoder) encoder.backbone()).config().numAttentionHeads();
        // Fused attention is opt-in (-Dadapterloop.attention=fused): this test opts in, the rest run the default.
        configured = AttentionKernel.use(AttentionKernel.FUSED);
        assertThat(AttentionKernel.describe()).isEqualTo("fused attention");
    }

    @AfterEach
    void defaultKernelAgain() {
        if (configured != null) {
            AttentionKernel.use(configured);
        }
    }

    @Test
    void givesTheUnfusedContextAndGradientsOnRealPaddedSentences() {
        try (NDManager manager = encoder.manager().newSubManager()) {
            NDList batch = TextTokenizer.collate(encoder.tokenizer().encode(SENTENCES), manager, 512);
            NDArray hidden = encoder.backbone().forward(new ParameterStore(manager, false), batch.get(0),
                    batch.get(1), batch.get(2), false);
            NDArray maskBias = maskBias(batch.get(1));
            assertThat(maskBias.min().getFloat()).as("the batch has padding").isLessThan(-1000f);
            NDArray upstream = manager.randomNormal(hidden.getShape());

            Result fused = attention(hidden, maskBias, upstream, true);
            Result unfused = attention(hidden, maskBias, upstream, false);

            assertThat(maxDifference(fused.context, unfused.context)).isLessThan(1e-5f);
            assertThat(maxDifference(fused.inputGradient, unfused.inputGradient))
                    .isLessThan(1e-5f * unfused.inputGradient.abs().max().getFloat());
            assertThat(unfused.inputGradient.abs().max().getFloat()).isGreaterThan(0f);
        }
    }

    @Test
    void dropoutWhileTrainingTakesTheUnfusedPath() {
        try (NDManager manager = encoder.manager().newSubManager()) {
            NDArray[] qkv = projections(manager.randomNormal(new Shape(2, 9, 384)));
            NDArray maskBias = manager.zeros(new Shape(2, 1, 1, 9));
            DropoutMasks.seed(7);
            NDArray chosen = ScaledDotProductAttention.attend(qkv[0].duplicate(), qkv[1], qkv[2], maskBias, heads,
                    0.5f, true);
            DropoutMasks.seed(7);
            NDArray unfused = ScaledDotProductAttention.unfused(qkv[0].duplicate(), qkv[1], qkv[2], maskBias, heads,
                    0.5f, true);
            NDArray withoutDropout = ScaledDotProductAttention.attend(qkv[0].duplicate(), qkv[1], qkv[2], maskBias,
                    heads, 0.5f, false);

            assertThat(maxDifference(chosen, unfused)).isEqualTo(0f);
            assertThat(maxDifference(chosen, withoutDropout)).as("dropout was applied").isGreaterThan(1e-3f);
        }
    }

    @Test
    void libtorchRejectingTheArgumentsIsAnExceptionAndTheEngineGoesOn() {
        try (NDManager manager = encoder.manager().newSubManager()) {
            NDArray q = manager.randomNormal(new Shape(2, 4, 9, 8));
            NDArray v = manager.randomNormal(new Shape(2, 4, 9, 8));
            NDArray mask = manager.zeros(new Shape(2, 1, 1, 9));

            assertThatThrownBy(() -> FusedAttention.attend(q, manager.randomNormal(new Shape(2, 4, 9, 5)), v, mask,
                    0.35))
                    .isInstanceOf(EngineException.class)
                    .hasMessageStartingWith("fused attention failed: ")
                    .hasMessageNotContaining("Exception raised from");
            assertThatThrownBy(() -> FusedAttention.attend(q, q, v, manager.zeros(new Shape(3, 1, 1, 9)), 0.35))
                    .isInstanceOf(EngineException.class);

            assertThat(FusedAttention.attend(q, q, v, mask, 0.35).getShape()).isEqualTo(new Shape(2, 4, 9, 8));
        }
    }

    private record Result(NDArray context, NDArray inputGradient) {
    }

    private Result attention(NDArray hidden, NDArray maskBias, NDArray upstream, boolean fused) {
        NDArray input = hidden.duplicate();
        input.setRequiresGradient(true);
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray[] qkv = projections(input);
            assertThat(FusedAttention.appliesTo(qkv[0], qkv[1], qkv[2], maskBias)).isTrue();
            NDArray context = fused
                    ? ScaledDotProductAttention.attend(qkv[0], qkv[1], qkv[2], maskBias, heads, 0f, true)
                    : ScaledDotProductAttention.unfused(qkv[0], qkv[1], qkv[2], maskBias, heads, 0f, true);
            collector.backward(context.mul(upstream).sum());
            return new Result(context.duplicate(), input.getGradient().duplicate());
        }
    }

    private NDArray[] projections(NDArray hidden) {
        ParameterStore ps = new ParameterStore(hidden.getManager(), false);
        return new NDArray[] {
            linear("query").forward(ps, hidden, true),
            linear("key").forward(ps, hidden, true),
            linear("value").forward(ps, hidden, true)};
    }

    private AdaptableLinear linear(String name) {
        return encoder.backbone().linearLayers().get(LAYER + name);
    }

    private static NDArray maskBias(NDArray attentionMask) {
        Shape shape = attentionMask.getShape();
        return attentionMask.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).sub(1).mul(3e4f)
                .reshape(shape.get(0), 1, 1, shape.get(1));
    }

    private static float maxDifference(NDArray a, NDArray b) {
        return a.sub(b).abs().max().getFloat();
    }
}
