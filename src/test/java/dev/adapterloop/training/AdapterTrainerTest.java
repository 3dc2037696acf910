package dev.adapterloop.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.adapterloop.adapters.AdaptedClassifier;
import dev.adapterloop.adapters.TargetModules;
import dev.adapterloop.adapters.lora.LoraConfig;
import dev.adapterloop.dataset.LabeledExample;
import dev.adapterloop.evaluation.EvaluationReport;
import dev.adapterloop.evaluation.Evaluator;
import dev.adapterloop.model.PretrainedModel;
import dev.adapterloop.testing.BundledModel;
import dev.adapterloop.testing.SpamSample;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdapterTrainerTest {

    private static final LoraConfig LORA = new LoraConfig(8, 16, 0.1, TargetModules.of("query", "value"), false);
    private static final List<String> LABELS = List.of("ham", "spam");

    @Test
    void shortRunLearnsSpamBeyondTheMajorityBaseline() {
        PretrainedModel base = BundledModel.encoder();
        TrainingConfig config = new TrainingConfig(1, 16, 64, 3e-3, 0.01, 0.1, 1.0, 24, 42);
        List<TrainingProgress> seen = new ArrayList<>();
        try (AdaptedClassifier model = AdaptedClassifier.create(base, LABELS, LORA, 42)) {
            TrainingResult result = new AdapterTrainer(seen::add).train(model, SpamSample.train(384), config);
            EvaluationReport report = new Evaluator(64, 64).evaluate(model, SpamSample.heldOut(300));
            System.out.printf("24 steps: loss %.4f -> %.4f, %.1f examples/s; held-out accuracy %.4f vs baseline"
                    + " %.4f%n", result.lossCurve().get(0), result.finalLoss(5), result.examplesPerSecond(),
                    report.accuracy(), report.majorityBaseline());
            assertThat(result.steps()).isEqualTo(24);
            assertThat(seen).hasSize(24);
            assertThat(seen.get(23).eta().toMillis()).isZero();
            assertThat(report.accuracy()).isGreaterThan(report.majorityBaseline() + 0.05);
        }
    }

    @Test
    void sameSeedSameDataGivesTheSameAdapter() {
        PretrainedModel base = BundledModel.encoder();
        TrainingConfig config = new TrainingConfig(1, 8, 32, 1e-3, 0.01, 0.1, 1.0, 3, 11);
        List<LabeledExample> data = SpamSample.train(24);
        float[] first = trainAndFlatten(base, config, data);
        float[] second = trainAndFlatten(base, config, data);
        assertThat(second).containsExactly(first);
    }

    @Test
    void aTrainingRunLeavesNoArraysBehind() {
        PretrainedModel base = BundledModel.encoder();
        TrainingConfig config = new TrainingConfig(1, 8, 32, 1e-3, 0.01, 0.1, 1.0, 6, 11);
        try (AdaptedClassifier model = AdaptedClassifier.create(base, LABELS, LORA, 1)) {
            int before = base.manager().getManagedArrays().size();
            new AdapterTrainer(p -> { }).train(model, SpamSample.train(48), config);
            assertThat(base.manager().getManagedArrays()).hasSize(before);
        }
    }

    @Test
    void trainsOnAThreadOtherThanTheOneTheEngineStartedOn() throws InterruptedException {
        PretrainedModel base = BundledModel.encoder();
        TrainingConfig config = new TrainingConfig(1, 8, 32, 1e-3, 0.01, 0.1, 1.0, 2, 11);
        Throwable[] failure = new Throwable[1];
        try (AdaptedClassifier model = AdaptedClassifier.create(base, LABELS, LORA, 1)) {
            // The service trains on a worker thread; PyTorch's grad mode there starts on, unlike the engine's thread.
            Thread worker = new Thread(() -> {
                try {
                    new AdapterTrainer(p -> { }).train(model, SpamSample.train(16), config);
                } catch (Throwable e) {
                    failure[0] = e;
                }
            });
            worker.start();
            worker.join();
        }
        assertThat(failure[0]).isNull();
    }

    @Test
    void unknownLabelFailsWithItsLineNumber() {
        PretrainedModel base = BundledModel.encoder();
        TrainingConfig config = new TrainingConfig(1, 8, 32, 1e-3, 0.01, 0.1, 1.0, 1, 11);
        List<LabeledExample> data = List.of(new LabeledExample("hello", "ham"), new LabeledExample("buy", "phish"));
        try (AdaptedClassifier model = AdaptedClassifier.create(base, LABELS, LORA, 1)) {
            assertThatThrownBy(() -> new AdapterTrainer(p -> { }).train(model, data, config))
                    .isInstanceOf(TrainingFailedException.class)
                    .hasMessageContaining("example 2").hasMessageContaining("'phish'");
        }
    }

    private static float[] trainAndFlatten(PretrainedModel base, TrainingConfig config, List<LabeledExample> data) {
        try (AdaptedClassifier model = AdaptedClassifier.create(base, LABELS, LORA, 5)) {
            new AdapterTrainer(p -> { }).train(model, data, config);
            return model.trainableParameters().values().stream().map(a -> a.toFloatArray())
                    .reduce(new float[0], (a, b) -> {
                        float[] c = java.util.Arrays.copyOf(a, a.length + b.length);
                        System.arraycopy(b, 0, c, a.length, b.length);
                        return c;
                    });
        }
    }
}
