package dev.adapterloop.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.adapterloop.adapters.AdaptedClassifier;
import dev.adapterloop.adapters.AdapterMethods;
import dev.adapterloop.adapters.SharedHyperparameters;
import dev.adapterloop.adapters.TargetModules;
import dev.adapterloop.testing.BundledModel;
import dev.adapterloop.testing.SpamSample;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every adapter method plugs into the same trainer and learns: the loss falls within a few steps. */
class EveryMethodTrainsTest {

    static List<String> methods() {
        return AdapterMethods.names();
    }

    @ParameterizedTest
    @MethodSource("methods")
    void lossFallsWithinAFewSteps(String name) {
        TrainingConfig config = new TrainingConfig(1, 8, 32, 3e-3, 0.0, 0.0, 1.0, 12, 21);
        try (AdaptedClassifier model = AdaptedClassifier.create(BundledModel.encoder(), List.of("ham", "spam"),
                AdapterMethods.create(name,
                        new SharedHyperparameters(8, 16, 0.0, TargetModules.of("query", "value"))), 21)) {
            TrainingResult result = new AdapterTrainer(p -> { }).train(model, SpamSample.train(96), config);
            double first = result.lossCurve().subList(0, 3).stream().mapToDouble(Float::doubleValue).average()
                    .orElseThrow();
            double last = result.finalLoss(3);
            System.out.printf("%s: loss %.4f -> %.4f in %d steps%n", name, first, last, result.steps());
            assertThat(last).isLessThan(first);
        }
    }

    @Test
    void anUnknownMethodIsNamedInTheError() {
        assertThatThrownBy(() -> AdapterMethods.create("vera", new SharedHyperparameters(8, 16, 0,
                TargetModules.of("query")))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 'vera'").hasMessageContaining("lorma-plus").hasMessageContaining("dora");
    }
}
