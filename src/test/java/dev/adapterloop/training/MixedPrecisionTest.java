package dev.adapterloop.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.adapterloop.adapters.AdaptedClassifier;
import dev.adapterloop.adapters.AdapterMethods;
import dev.adapterloop.adapters.SharedHyperparameters;
import dev.adapterloop.adapters.TargetModules;
import dev.adapterloop.dataset.LabeledExample;
import dev.adapterloop.model.PretrainedModel;
import dev.adapterloop.model.TextTokenizer;
import dev.adapterloop.testing.BundledModel;
import dev.adapterloop.testing.SpamSample;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * fp16 mixed precision (the GPU default) run on the CPU, whose PyTorch also has fp16 kernels: the same model in fp16
 * gives fp32's logits to fp16 rounding, trains, and keeps fp32 master factors. Uses an encoder of its own, since the
 * compute type is a property of the encoder.
 */
class MixedPrecisionTest {

    private static final List<String> LABELS = List.of("ham", "spam");
    private static final TargetModules TARGETS = TargetModules.of("query", "value");
    private static PretrainedModel encoder;

    @BeforeAll
    static void load() throws IOException {
        encoder = PretrainedModel.load(BundledModel.folder(), Device.cpu());
    }

    @AfterAll
    static void close() {
        encoder.close();
    }

    static List<String> methods() {
        return AdapterMethods.names();
    }

    @ParameterizedTest
    @MethodSource("methods")
    void fp16LogitsMatchFp32ToHalfPrecisionRounding(String name) {
        List<LabeledExample> emails = SpamSample.heldOut(4);
        try (AdaptedClassifier model = AdaptedClassifier.create(encoder, LABELS,
                AdapterMethods.create(name, new SharedHyperparameters(8, 16, 0.0, TARGETS)), 5);
             NDManager scope = encoder.manager().newSubManager()) {
            NDList batch = TextTokenizer.collate(encoder.tokenizer().encode(emails.stream()
                    .map(LabeledExample::text).toList()).stream().map(t -> t.truncate(64)).toList(), scope, 64);
            float[] full = logits(model, batch, DataType.FLOAT32);
            float[] half = logits(model, batch, DataType.FLOAT16);
            double maxDiff = 0;
            double maxAbs = 0;
            for (int i = 0; i < full.length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(full[i] - half[i]));
                maxAbs = Math.max(maxAbs, Math.abs(full[i]));
            }
            System.out.printf("%s: fp16 vs fp32 logits, max |diff| %.2e (max |logit| %.3f)%n", name, maxDiff, maxAbs);
            assertThat(maxDiff).isLessThan(1e-3);
        } finally {
            encoder.backbone().setComputeType(DataType.FLOAT32);
        }
    }

    @Test
    void fp16TrainingLearnsAndKeepsFp32MasterFactors() {
        encoder.backbone().setComputeType(DataType.FLOAT16);
        TrainingConfig config = new TrainingConfig(1, 8, 32, 3e-3, 0.0, 0.0, 1.0, 12, 21);
        try (AdaptedClassifier model = AdaptedClassifier.create(encoder, LABELS,
                AdapterMethods.create("lora", new SharedHyperparameters(8, 16, 0.1, TARGETS)), 21)) {
            TrainingResult result = new AdapterTrainer(p -> { }).train(model, SpamSample.train(96), config);
            double first = result.lossCurve().subList(0, 3).stream().mapToDouble(Float::doubleValue).average()
                    .orElseThrow();
            System.out.printf("fp16 lora: loss %.4f -> %.4f in %d steps%n", first, result.finalLoss(3), result.steps());
            assertThat(result.finalLoss(3)).isLessThan(first);
            Map<String, DataType> types = new LinkedHashMap<>();
            model.trainableParameters().forEach((key, array) -> types.put(key, array.getDataType()));
            assertThat(types.values()).containsOnly(DataType.FLOAT32);
            for (NDArray parameter : model.trainableParameters().values()) {
                assertThat(parameter.isNaN().any().getBoolean()).isFalse();
            }
        } finally {
            encoder.backbone().setComputeType(DataType.FLOAT32);
        }
    }

    private static float[] logits(AdaptedClassifier model, NDList batch, DataType type) {
        model.base().backbone().setComputeType(type);
        NDArray logits = model.logits(batch, false);
        assertThat(logits.getDataType()).isEqualTo(DataType.FLOAT32);
        return logits.toFloatArray();
    }
}
