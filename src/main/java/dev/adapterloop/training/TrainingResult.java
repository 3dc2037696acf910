package dev.adapterloop.training;

import java.time.Duration;
import java.util.List;

/**
 * What a finished training run did: its loss curve (one value per step), each step's throughput ({@code stepRates},
 * as long as the loss curve; null where a resumed run's earlier steps have none), how fast it went overall and, with
 * early stopping, where the best validation loss was ({@code bestStep} 0 and {@code bestValidationLoss} NaN without
 * validation).
 */
public record TrainingResult(int steps, int examples, List<Float> lossCurve, List<StepRate> stepRates,
                             Duration duration, double examplesPerSecond, double tokensPerSecond,
                             boolean stoppedEarly, int bestStep, double bestValidationLoss) {

    public TrainingResult {
        lossCurve = List.copyOf(lossCurve);
        stepRates = StepRate.padded(stepRates, lossCurve.size());
    }

    /** Mean loss over the last {@code window} steps, a less noisy figure than the last step's. */
    public double finalLoss(int window) {
        int from = Math.max(0, lossCurve.size() - window);
        return lossCurve.subList(from, lossCurve.size()).stream().mapToDouble(Float::doubleValue).average()
                .orElse(Double.NaN);
    }
}
