package dev.adapterloop.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import dev.adapterloop.adapters.AdaptedClassifier;
import dev.adapterloop.adapters.TargetModules;
import dev.adapterloop.adapters.lora.LoraConfig;
import dev.adapterloop.testing.BundledModel;
import dev.adapterloop.testing.SpamSample;
import java.util.List;
import org.junit.jupiter.api.Test;

class EarlyStoppingTest {

    private static final LoraConfig LORA = new LoraConfig(8, 16, 0.0, TargetModules.of("query", "value"), false);
    private static final List<String> LABELS = List.of("ham", "spam");

    @Test
    void stopsAfterPatienceMeasurementsWithoutImprovement() {
        // A learning rate this small cannot move the validation loss by the 1e-4 that counts as an improvement.
        TrainingConfig config = new TrainingConfig(1, 8, 32, 1e-12, 0.0, 0.0, 1.0, 20, 3);
        try (AdaptedClassifier model = AdaptedClassifier.create(BundledModel.encoder(), LABELS, LORA, 3)) {
            TrainingResult result = new AdapterTrainer(p -> { }).train(model, SpamSample.train(160), config,
                    new EarlyStopping(SpamSample.heldOut(32), 2, 1));
            assertThat(result.stoppedEarly()).isTrue();
            assertThat(result.steps()).isEqualTo(4);
            assertThat(result.bestStep()).isEqualTo(2);
        }
    }

    @Test
    void theAdapterEndsWithItsBestValidationFactors() {
        TrainingConfig config = new TrainingConfig(1, 8, 32, 3e-3, 0.0, 0.0, 1.0, 13, 3);
        EarlyStopping stopping = new EarlyStopping(SpamSample.heldOut(48), 5, 10);
        try (AdaptedClassifier model = AdaptedClassifier.create(BundledModel.encoder(), LABELS, LORA, 3)) {
            TrainingResult result = new AdapterTrainer(p -> { }).train(model, SpamSample.train(120), config,
                    stopping);
            assertThat(result.stoppedEarly()).isFalse();
            assertThat(result.steps()).isEqualTo(13);
            assertThat(result.bestStep()).isIn(5, 10);
            double after = new ValidationMonitor(model, stopping, 32).validationLoss();
            System.out.printf("best validation loss %.5f at step %d; after restoring: %.5f%n",
                    result.bestValidationLoss(), result.bestStep(), after);
            assertThat(after).as("steps 11-13 are undone").isCloseTo(result.bestValidationLoss(), offset(1e-5));
        }
    }
}
