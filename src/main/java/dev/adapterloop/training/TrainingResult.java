package dev.adapterloop.training;

import java.time.Duration;
import java.util.List;

/** What a finished training run did: its loss curve (one value per step) and how fast it went. */
public record TrainingResult(int steps, int examples, List<Float> lossCurve, Duration duration,
                             double examplesPerSecond, double tokensPerSecond) {

    public TrainingResult {
        lossCurve = List.copyOf(lossCurve);
    }

    /** Mean loss over the last {@code window} steps, a less noisy figure than the last step's. */
    public double finalLoss(int window) {
        int from = Math.max(0, lossCurve.size() - window);
        return lossCurve.subList(from, lossCurve.size()).stream().mapToDouble(Float::doubleValue).average()
                .orElse(Double.NaN);
    }
}
