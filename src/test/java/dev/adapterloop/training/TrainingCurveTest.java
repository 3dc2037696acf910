package dev.adapterloop.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import dev.adapterloop.events.TrainingCurve;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The curve a stored version carries: each step's loss with the learning rate the trainer's schedule gave it. */
class TrainingCurveTest {

    @Test
    void onePointPerStepWithTheScheduleOfTheWholeRunEvenWhenItStoppedEarly() {
        // 384 examples, batch 16, at most 24 steps: warm-up ceil(0.1 x 24) = 3 steps to 3e-3, then linear to 0 at 24.
        TrainingConfig config = new TrainingConfig(1, 16, 64, 3e-3, 0, 0.1, 1.0, 24, 42);
        List<Float> losses = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            losses.add(0.7f - 0.01f * i);
        }
        // A resumed run whose checkpoint kept no rates: its first 5 steps have none.
        List<StepRate> rates = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            rates.add(i < 5 ? null : StepRate.of(16, 16 * 64, 250_000_000L + i));
        }
        TrainingResult stoppedEarly = new TrainingResult(20, 384, losses, rates, Duration.ofSeconds(1), 1, 1, true,
                15, 0.3);

        TrainingCurve curve = TrainingJobRunner.trainingCurve(config, stoppedEarly);

        assertThat(curve.schemaVersion()).isEqualTo(TrainingCurve.SCHEMA_VERSION);
        assertThat(curve.points()).hasSize(20);
        assertThat(curve.points()).extracting(TrainingCurve.Point::step).startsWith(1, 2, 3).endsWith(20);
        assertThat(curve.points().get(19).loss()).isCloseTo(0.51, offset(1e-6));
        assertThat(curve.points().get(0).learningRate()).isCloseTo(1e-3, offset(1e-12));
        assertThat(curve.points().get(2).learningRate()).isCloseTo(3e-3, offset(1e-12));
        // Decay runs over the planned 24 steps, not the 20 taken: step 20 is 17 of 21 decay steps in.
        assertThat(curve.points().get(19).learningRate()).isCloseTo(3e-3 * (1 - 17.0 / 21), offset(1e-12));
        // Throughput: 16 examples of 64 tokens in a quarter second, rounded to 0.1.
        assertThat(curve.points().get(4).examplesPerSecond()).isNull();
        assertThat(curve.points().get(4).tokensPerSecond()).isNull();
        assertThat(curve.points().get(5).examplesPerSecond()).isEqualTo(64.0);
        assertThat(curve.points().get(5).tokensPerSecond()).isEqualTo(4096.0);
    }

    @Test
    void ratesShorterThanTheLossCurveArePaddedWithUnknowns() {
        TrainingResult result = new TrainingResult(3, 48, List.of(0.7f, 0.6f, 0.5f), List.of(StepRate.of(16, 1024,
                1_000_000_000L)), Duration.ofSeconds(1), 1, 1, false, 0, Double.NaN);
        assertThat(result.stepRates()).hasSize(3);
        assertThat(result.stepRates().get(0).examplesPerSecond()).isEqualTo(16f);
        assertThat(result.stepRates().subList(1, 3)).containsOnlyNulls();
        assertThat(new TrainingResult(1, 16, List.of(0.7f), null, Duration.ofSeconds(1), 1, 1, false, 0, Double.NaN)
                .stepRates()).containsOnlyNulls().hasSize(1);
    }
}
