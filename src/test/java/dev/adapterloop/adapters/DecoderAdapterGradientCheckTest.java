package dev.adapterloop.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.adapterloop.model.decoder.CausalLmLoss;
import dev.adapterloop.model.decoder.DecoderModel;
import dev.adapterloop.model.decoder.ReferenceFixture;
import dev.adapterloop.model.safetensors.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every registered method's backward pass through a whole decoder: the causal-LM loss of the oracle's batch, with the
 * adapter on one projection (GPT-2's Conv1D {@code c_attn}, 64 → 192; Llama's grouped-query {@code k_proj}, 64 → 32),
 * differentiated by autograd and by central differences along a random direction of all the adapter's factors. The
 * model computes in float64; the factors are fp32 masters, whose perturbed values round to fp32, so the check is good
 * to about 1e-4, not 1e-8.
 */
class DecoderAdapterGradientCheckTest {

    static Stream<Arguments> cases() {
        // DoRA is left out: it detaches the weight norm in the backward pass by design (the paper's section 4.3, and
        // PEFT), so its autograd gradient is not the derivative central differences measure.
        return AdapterMethods.names().stream().filter(method -> !method.equals("dora")).flatMap(method -> Stream.of(
                Arguments.of(method, "gpt2-tiny", "transformer.h.1.attn.c_attn"),
                Arguments.of(method, "llama-tiny", "model.layers.0.self_attn.k_proj")));
    }

    @ParameterizedTest(name = "{0} on {1} {2}")
    @MethodSource("cases")
    void autogradMatchesCentralDifferencesThroughTheDecoder(String method, String fixtureName, String module)
            throws Exception {
        ReferenceFixture fixture = ReferenceFixture.of(fixtureName);
        Map<String, Tensor> expected = fixture.expected();
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            DecoderModel model = fixture.load(manager);
            model.setComputeType(DataType.FLOAT64);
            AdapterMethod config = AdapterMethods.create(method,
                    new SharedHyperparameters(4, 8, 0, TargetModules.parse("re:" + module.replace(".", "\\."))));
            NDArray ids = ReferenceFixture.array(expected.get("input_ids"), manager);
            NDArray mask = ReferenceFixture.array(expected.get("attention_mask"), manager);
            NDArray labels = ReferenceFixture.array(expected.get("labels"), manager);
            ParameterStore ps = new ParameterStore(manager, false);
            try (AdaptedLanguageModel adapted = AdaptedLanguageModel.create(model, config, manager, 7)) {
                assertThat(adapted.layers().keySet()).containsExactly(module);
                List<NDArray> factors = List.copyOf(adapted.trainableParameters().values());
                Random random = new Random(11);
                // Away from the initialisation (LoRA's B = 0 would make A's gradient vanish).
                for (NDArray factor : factors) {
                    factor.addi(gaussianLike(factor, random, 0.05));
                }
                List<NDArray> direction = factors.stream().map(f -> gaussianLike(f, random, 1)).toList();

                double analytic;
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray loss = loss(model, ps, ids, mask, labels);
                    collector.backward(loss);
                    analytic = 0;
                    for (int i = 0; i < factors.size(); i++) {
                        analytic += factors.get(i).getGradient().toType(DataType.FLOAT64, false)
                                .mul(direction.get(i).toType(DataType.FLOAT64, false)).sum().getDouble();
                    }
                }
                double h = 1e-3;
                step(factors, direction, h);
                double plus = loss(model, ps, ids, mask, labels).getDouble();
                step(factors, direction, -2 * h);
                double minus = loss(model, ps, ids, mask, labels).getDouble();
                step(factors, direction, h);
                double numeric = (plus - minus) / (2 * h);
                double relative = Math.abs(analytic - numeric) / Math.max(1e-8, Math.abs(numeric));
                System.out.printf("%s on %s %s: directional derivative autograd %.8f, central differences %.8f,"
                        + " relative error %.2e%n", method, fixtureName, module, analytic, numeric, relative);
                assertThat(Math.abs(numeric)).as("the loss depends on the adapter").isGreaterThan(1e-3);
                assertThat(relative).isLessThan(1e-3);
            }
        }
    }

    private static NDArray loss(DecoderModel model, ParameterStore ps, NDArray ids, NDArray mask, NDArray labels) {
        NDArray hidden = model.run(ps, ids, mask, null, null, false, null);
        return CausalLmLoss.mean(model.logits(ps, hidden, false), labels);
    }

    private static void step(List<NDArray> factors, List<NDArray> direction, double size) {
        for (int i = 0; i < factors.size(); i++) {
            factors.get(i).addi(direction.get(i).mul((float) size));
        }
    }

    private static NDArray gaussianLike(NDArray like, Random random, double std) {
        float[] values = new float[(int) like.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() * std);
        }
        return like.getManager().create(values, like.getShape());
    }
}
